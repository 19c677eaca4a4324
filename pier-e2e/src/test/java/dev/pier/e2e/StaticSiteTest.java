package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.e2e.PlatformHarness.Response;
import dev.pier.e2e.PlatformHarness.Result;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Vite site, unchanged from what {@code npm create vite} makes (vite from the npm registry),
 * pushed with git, built by {@code npm run build} in the sandbox and served by the router from
 * its files with no app instance.
 */
class StaticSiteTest {
  private static final Pattern ASSET = Pattern.compile("/assets/index-[A-Za-z0-9_-]+\\.js");

  @TempDir Path tmp;

  @Test
  void aViteSiteIsBuiltAndServedByTheRouterWithNoInstance() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      pier.login();
      Path repo = pier.repo("vitesite", viteApp());
      PlatformHarness.check(pier.cli(repo, "apps:create", "vitesite"));
      PlatformHarness.check(pier.cli(repo, "git:remote", "-a", "vitesite"));

      long cold = System.nanoTime();
      Result push = pier.git(repo, "push", "pier", "main");
      System.out.println("push (static vite, cold): " + (System.nanoTime() - cold) / 1_000_000 + " ms");
      assertThat(push.exit()).as(push.all()).isZero();
      assertThat(push.err())
          .contains("with the static buildpack")
          .contains("Running 'npm run build'")
          .contains("Static site: serving dist/ from the router")
          .contains("Released v1");

      Response page = pier.awaitOk("vitesite", "/", Duration.ofSeconds(20));
      assertThat(page.body()).contains("<title>Pier Vite site</title>");
      Matcher asset = ASSET.matcher(page.body());
      assertThat(asset.find()).as(page.body()).isTrue();

      Raw js = raw(pier, "vitesite.localhost", asset.group(), "Accept-Encoding: gzip, deflate, br");
      assertThat(js.status()).isEqualTo(200);
      assertThat(js.header("content-encoding")).isEqualTo("gzip");
      assertThat(js.header("content-type")).startsWith("text/javascript");
      assertThat(gunzip(js.body())).contains("Hello from Vite on Pier");
      Raw again = raw(pier, "vitesite.localhost", asset.group(), "Accept-Encoding: gzip",
          "If-None-Match: " + js.header("etag"));
      assertThat(again.status()).isEqualTo(304);

      Response missing = pier.get("vitesite", "/no/such/page");
      assertThat(missing.status()).isEqualTo(404);

      // No instance runs: ps shows none, and the router's access log names no dyno.
      Result ps = PlatformHarness.check(pier.cli(repo, "ps", "-a", "vitesite"));
      assertThat(ps.out()).contains("No dynos on vitesite");
      Result scale = pier.cli(repo, "ps:scale", "web=1", "-a", "vitesite");
      assertThat(scale.exit()).isNotZero();
      assertThat(scale.all()).contains("v1 is a static site served by the router");
      Result logs = pier.logsUntil(repo, "pier[router]: at=info method=GET path=\"/\"", "logs", "-a", "vitesite", "-n", "200");
      assertThat(logs.out()).contains("pier[router]: at=info method=GET path=\"/\"");

      // A static.json makes it a single-page app with long-lived assets; v2 replaces v1.
      Files.writeString(repo.resolve("static.json"), """
          {"root": "dist", "routes": {"/**": "index.html"},
           "headers": {"/assets/**": {"Cache-Control": "public, max-age=31536000, immutable"}}}
          """);
      pier.commitAll(repo, "spa");
      long warm = System.nanoTime();
      Result push2 = pier.git(repo, "push", "pier", "main");
      System.out.println("push (static vite, warm npm cache): " + (System.nanoTime() - warm) / 1_000_000 + " ms");
      assertThat(push2.exit()).as(push2.all()).isZero();
      assertThat(push2.err()).contains("Released v2");
      Response deep = pier.get("vitesite", "/users/42");
      assertThat(deep.status()).isEqualTo(200);
      assertThat(deep.body()).contains("<title>Pier Vite site</title>");
      Raw cached = raw(pier, "vitesite.localhost", asset.group());
      assertThat(cached.header("cache-control")).isEqualTo("public, max-age=31536000, immutable");
      assertThat(PlatformHarness.check(pier.cli(repo, "ps", "-a", "vitesite")).out())
          .contains("No dynos on vitesite");
    }
  }

  private static Map<String, String> viteApp() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("package.json", """
        {
          "name": "vite-site",
          "private": true,
          "version": "0.0.0",
          "type": "module",
          "scripts": { "dev": "vite", "build": "vite build", "preview": "vite preview" },
          "devDependencies": { "vite": "^6.3.0" }
        }
        """);
    files.put("index.html", """
        <!doctype html>
        <html lang="en">
          <head><meta charset="UTF-8" /><title>Pier Vite site</title></head>
          <body>
            <div id="app"></div>
            <script type="module" src="/src/main.js"></script>
          </body>
        </html>
        """);
    files.put("src/main.js", "document.querySelector('#app').textContent = 'Hello from Vite on Pier';\n");
    files.put(".gitignore", "node_modules\ndist\n");
    return files;
  }

  record Raw(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name);
    }
  }

  /** A GET through the router keeping the body's bytes (a gzip body is not text). */
  private static Raw raw(PlatformHarness pier, String host, String path, String... headerLines)
      throws IOException {
    try (Socket s = new Socket("127.0.0.1", pier.routerPort())) {
      s.setSoTimeout(30_000);
      StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host
          + "\r\nConnection: close\r\n");
      for (String line : headerLines) head.append(line).append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] all = s.getInputStream().readAllBytes();
      String text = new String(all, StandardCharsets.ISO_8859_1);
      int split = text.indexOf("\r\n\r\n");
      Response parsed = PlatformHarness.parse(all);
      byte[] body = java.util.Arrays.copyOfRange(all, split + 4, all.length);
      return new Raw(parsed.status(), parsed.headers(), body);
    }
  }

  private static String gunzip(byte[] body) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
