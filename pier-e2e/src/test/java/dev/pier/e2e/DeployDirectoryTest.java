package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.e2e.PlatformHarness.Response;
import dev.pier.e2e.PlatformHarness.Result;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `pier deploy` of a directory (the gcloud app deploy flow), live log tailing, crash restarts,
 * restarts and destroying an app, against the real server.
 */
class DeployDirectoryTest {
  @TempDir Path tmp;

  private static Map<String, String> procfileApp() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("Procfile", "web: node server.js\n");
    files.put(".gitignore", "secret.txt\n");
    files.put("secret.txt", "do not upload\n");
    files.put("server.js", """
        const fs = require('fs');
        require('http').createServer((req, res) => {
          console.log('tail me ' + req.url);
          if (req.url === '/crash') { res.end('bye'); process.exit(3); }
          res.end(JSON.stringify({ dyno: process.env.DYNO, secret: fs.existsSync('secret.txt') }));
        }).listen(process.env.PORT);
        """);
    return files;
  }

  @Test
  void deployUploadsDirectoryHonouringGitignoreThenTailRestartCrashAndDestroy() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      pier.login();
      Path dir = pier.repo("generic", procfileApp());
      PlatformHarness.check(pier.cli(dir, "apps:create", "generic", "--no-remote"));

      Result deploy = pier.cli(dir, "deploy", ".", "-a", "generic");
      assertThat(deploy.exit()).as(deploy.all()).isZero();
      assertThat(deploy.out()).contains("-----> ").contains("Released v1");
      Response r = pier.awaitOk("generic", "/", Duration.ofSeconds(20));
      assertThat(r.body()).contains("\"dyno\":\"web.1\"").contains("\"secret\":false");

      // logs --tail follows new lines live
      PipedLines tail = new PipedLines();
      Thread follower = Thread.ofVirtual().start(() -> tail.exit = runCli(pier, tail.stream, dir, "logs", "--tail", "-a", "generic", "-n", "1"));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline && !tail.text().contains("tail me /live-line")) {
        pier.get("generic", "/live-line");
        Thread.sleep(200);
      }
      assertThat(tail.text()).contains("app[web.1]: tail me /live-line");

      // a crashing instance comes back
      pier.get("generic", "/crash");
      assertThat(pier.awaitOk("generic", "/", Duration.ofSeconds(20)).status()).isEqualTo(200);
      Result logs = PlatformHarness.check(pier.cli(dir, "logs", "-a", "generic", "-n", "300"));
      assertThat(logs.out()).contains("pier[web.1]: Process exited with status 3");
      Result ps = PlatformHarness.check(pier.cli(dir, "ps", "-a", "generic", "--json"));
      assertThat(ps.out()).contains("\"restarts\" : 1");

      // ps:restart replaces the instance
      PlatformHarness.check(pier.cli(dir, "ps:restart", "-a", "generic"));
      assertThat(pier.awaitOk("generic", "/", Duration.ofSeconds(20)).status()).isEqualTo(200);

      // destroy removes the app: the router no longer knows it
      Result wrongConfirm = pier.cli(dir, "apps:destroy", "-a", "generic", "--confirm", "other");
      assertThat(wrongConfirm.exit()).isNotZero();
      assertThat(pier.get("generic", "/").status()).isEqualTo(200);
      PlatformHarness.check(pier.cli(dir, "apps:destroy", "-a", "generic", "--confirm", "generic"));
      Response gone = pier.get("generic", "/");
      assertThat(gone.status()).isEqualTo(404);
      assertThat(gone.headers().get("x-router-error")).isEqualTo("no_such_app");
      assertThat(Files.exists(pier.data.resolve("repos/generic.git"))).isFalse();
      follower.join(Duration.ofSeconds(1));
    }
  }

  private static int runCli(PlatformHarness pier, PrintStream out, Path cwd, String... args) {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", pier.home.toString());
    env.put("PATH", System.getenv("PATH"));
    return dev.pier.cli.PierCli.run(args, out, out, env, cwd, java.io.InputStream.nullInputStream());
  }

  /** Collects what a CLI running in another thread prints. */
  private static final class PipedLines {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    volatile int exit = -1;

    String text() {
      synchronized (bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
