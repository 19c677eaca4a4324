package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.e2e.PlatformHarness.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * App Engine's app.yaml {@code handlers} (the router serves static files beside the app's
 * instances) and {@code liveness_check} (a running instance failing it is restarted), pushed
 * with the real git client to a real server running a real Node.js app.
 */
class AppYamlServingTest {
  @TempDir Path tmp;

  /**
   * A Node.js app without dependencies: every path under /static or /robots.txt answers 500 and
   * logs APP SAW (so a 200 there comes from the router); /sicken makes /healthz fail from then
   * on; anything else answers its boot id (new at every start) and path.
   */
  private static Map<String, String> app(String appYaml) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("package.json", """
        {"name": "serving", "version": "1.0.0", "private": true,
         "scripts": {"start": "node server.js"}}
        """);
    files.put("server.js", """
        const http = require('http');
        const boot = process.pid + '-' + Math.random().toString(36).slice(2);
        let sick = false;
        http.createServer((req, res) => {
          if (req.url.startsWith('/static') || req.url.startsWith('/robots.txt')) {
            console.log('APP SAW ' + req.url);
            res.statusCode = 500;
            return res.end('the app must not serve ' + req.url);
          }
          if (req.url === '/healthz') {
            res.statusCode = sick ? 500 : 200;
            return res.end(sick ? 'sick' : 'ok');
          }
          if (req.url === '/sicken') sick = true;
          res.setHeader('Content-Type', 'application/json');
          res.end(JSON.stringify({boot: boot, path: req.url}));
        }).listen(process.env.PORT);
        """);
    files.put("public/style.css", "body { color: teal; }\n");
    files.put("public/robots.txt", "User-agent: *\n");
    files.put("app.yaml", "runtime: nodejs20\n" + appYaml);
    return files;
  }

  private static Path deploy(PlatformHarness pier, String name, Map<String, String> files, String expect)
      throws Exception {
    pier.login();
    Path repo = pier.repo(name, files);
    PlatformHarness.check(pier.cli(repo, "apps:create", name));
    PlatformHarness.check(pier.cli(repo, "git:remote", "-a", name));
    Result push = pier.git(repo, "push", "pier", "main");
    assertThat(push.exit()).as(push.all()).isZero();
    assertThat(push.err()).contains(expect).doesNotContain("keys ignored by Pier");
    assertThat(pier.awaitOk(name, "/", Duration.ofSeconds(30)).status()).isEqualTo(200);
    return repo;
  }

  @Test
  void staticHandlersAreServedByTheRouterAndEveryOtherPathByTheApp() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      Path repo = deploy(pier, "handlers", app("""
          handlers:
            - url: /static
              static_dir: public
              expiration: 1d
            - url: /(robots\\.txt)
              static_files: public/\\1
              upload: public/robots\\.txt
            - url: /.*
              script: auto
          """), "app.yaml handler /static -> static_dir public");

      PlatformHarness.Response css = pier.get("handlers", "/static/style.css");
      assertThat(css.status()).as(css.body()).isEqualTo(200);
      assertThat(css.body()).isEqualTo("body { color: teal; }\n");
      assertThat(css.headers().get("content-type")).startsWith("text/css");
      assertThat(css.headers().get("cache-control")).isEqualTo("public, max-age=86400");
      assertThat(css.headers()).containsKey("etag");
      PlatformHarness.Response robots = pier.get("handlers", "/robots.txt");
      assertThat(robots.status()).isEqualTo(200);
      assertThat(robots.body()).isEqualTo("User-agent: *\n");
      assertThat(pier.get("handlers", "/static/missing.css").status()).isEqualTo(404);
      assertThat(pier.get("handlers", "/static/../server.js").status()).isEqualTo(400);
      assertThat(pier.get("handlers", "/static/%2e%2e/server.js").status()).isEqualTo(400);
      assertThat(pier.get("handlers", "/static/../server.js").body()).doesNotContain("createServer");

      PlatformHarness.Response api = pier.get("handlers", "/api/orders");
      assertThat(api.status()).isEqualTo(200);
      assertThat(api.body()).contains("\"path\":\"/api/orders\"");
      Result logs = PlatformHarness.check(pier.cli(repo, "logs", "-a", "handlers", "-n", "500"));
      assertThat(logs.out()).doesNotContain("APP SAW");

      // a config change makes a new release of the same slug: the handlers stay
      PlatformHarness.check(pier.cli(repo, "config:set", "GREETING=hi", "-a", "handlers"));
      assertThat(pier.awaitOk("handlers", "/", Duration.ofSeconds(30)).status()).isEqualTo(200);
      assertThat(pier.get("handlers", "/static/style.css").body()).isEqualTo("body { color: teal; }\n");

      // and so do they after a server restart
      pier.restart();
      assertThat(pier.awaitOk("handlers", "/static/style.css", Duration.ofSeconds(30)).body())
          .isEqualTo("body { color: teal; }\n");
      assertThat(pier.awaitOk("handlers", "/api", Duration.ofSeconds(30)).body()).contains("\"path\":\"/api\"");
      assertThat(PlatformHarness.check(pier.cli(repo, "logs", "-a", "handlers", "-n", "500")).out())
          .doesNotContain("APP SAW");
    }
  }

  @Test
  void anInstanceFailingItsLivenessCheckIsRestarted() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      Path repo = deploy(pier, "alive", app("""
          readiness_check:
            check_interval_sec: 1
          liveness_check:
            path: /healthz
            check_interval_sec: 1
            timeout_sec: 1
            failure_threshold: 2
            success_threshold: 1
            initial_delay_sec: 0
          """), "app.yaml liveness check GET /healthz every 1 s");
      String boot = pier.get("alive", "/").body();
      // healthy: still the same instance after several probes
      Thread.sleep(3_000);
      assertThat(pier.get("alive", "/").body()).isEqualTo(boot);

      long sickened = System.nanoTime();
      assertThat(pier.get("alive", "/sicken").status()).isEqualTo(200);
      String after = null;
      while (System.nanoTime() - sickened < Duration.ofSeconds(30).toNanos()) {
        PlatformHarness.Response r = pier.get("alive", "/");
        if (r.status() == 200 && !r.body().equals(boot)) {
          after = r.body();
          break;
        }
        Thread.sleep(100);
      }
      long tookMillis = (System.nanoTime() - sickened) / 1_000_000;
      assertThat(after).as("a new boot of web.1").isNotNull().contains("\"boot\"");
      // failure_threshold 2 x check_interval 1 s, plus up to 1 s until the first probe, a restart
      // and a boot.
      assertThat(tookMillis).isLessThan(12_000);
      Result logs = PlatformHarness.check(pier.cli(repo, "logs", "-a", "alive", "-n", "500"));
      assertThat(logs.out()).contains("liveness check failed 2 times, restarting web.1");
      System.out.println("liveness restart took " + tookMillis + " ms");
    }
  }
}
