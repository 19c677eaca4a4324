package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.Route;
import dev.pier.model.SplitBy;
import dev.pier.model.StaticHandler;
import dev.pier.model.StaticHandlers;
import dev.pier.model.VersionRoute;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version served by instances with app.yaml handlers: static ones answered by the router from
 * real files, every other path proxied to a real backend, through real sockets.
 */
class AppYamlHandlersTest {
  private static final String HOST = "handlers.localhost";

  @TempDir Path dir;
  private RouterHarness harness;
  private TestBackend backend;

  @BeforeEach
  void start() throws Exception {
    Path root = Files.createDirectories(dir.resolve("files"));
    Files.createDirectories(root.resolve("public/css"));
    Files.writeString(root.resolve("public/css/site.css"), "body{}");
    Files.createDirectories(root.resolve("images"));
    Files.writeString(root.resolve("images/logo.png"), "PNG");
    Files.writeString(dir.resolve("secret.txt"), "secret");
    Files.createSymbolicLink(root.resolve("public/escape.txt"), dir.resolve("secret.txt"));
    harness = new RouterHarness();
    backend = new TestBackend("v1.web.1");
    StaticHandlers handlers = new StaticHandlers(root, List.of(
        StaticHandler.app(Pattern.compile("/static/api/.*")),
        new StaticHandler(StaticHandler.Kind.DIR, StaticHandler.dirPattern("/static"), "public", null,
            3600L, Map.of("X-From", "handler"), null),
        new StaticHandler(StaticHandler.Kind.FILES, Pattern.compile("/img/(.*)"), "images/\\1",
            Pattern.compile("images/.*"), null, Map.of(), "image/x-test")));
    harness.route(HOST, new Route("handlers", SplitBy.RANDOM, List.of(
        new VersionRoute(1, 100, List.of(backend.backend())).withHandlers(handlers))));
  }

  @AfterEach
  void stop() {
    backend.close();
    harness.close();
  }

  @Test
  void aStaticDirFileIsServedByTheRouterAndOtherPathsByTheApp() throws Exception {
    try (RawClient c = harness.client()) {
      RawClient.Response css = c.get(HOST, "/static/css/site.css");
      assertThat(css.status()).isEqualTo(200);
      assertThat(css.text()).isEqualTo("body{}");
      assertThat(css.header("content-type")).startsWith("text/css");
      assertThat(css.header("cache-control")).isEqualTo("public, max-age=3600");
      assertThat(css.header("x-from")).isEqualTo("handler");
      assertThat(c.get(HOST, "/static/css/site.css", "If-None-Match: " + css.header("etag")).status())
          .isEqualTo(304);
      assertThat(c.get(HOST, "/static/css/site.css", "Range: bytes=0-3").text()).isEqualTo("body");

      RawClient.Response app = c.get(HOST, "/orders?x=1");
      assertThat(app.status()).isEqualTo(200);
      assertThat(app.text()).startsWith("v1.web.1\n");
      assertThat(c.get(HOST, "/static/api/x").text()).as("script: auto before the static_dir")
          .startsWith("v1.web.1\n");
    }
    AccessLogEntry entry = harness.log.next();
    assertThat(entry.status()).isEqualTo(200);
    assertThat(entry.instance()).as("the router answered, no instance").isNull();
  }

  @Test
  void staticFilesUseTheCaptureGroupsAndTheMimeType() throws Exception {
    try (RawClient c = harness.client()) {
      RawClient.Response png = c.get(HOST, "/img/logo.png");
      assertThat(png.text()).isEqualTo("PNG");
      assertThat(png.header("content-type")).isEqualTo("image/x-test");
      assertThat(c.get(HOST, "/img/none.png").status()).as("a static handler's missing file: 404, not the app")
          .isEqualTo(404);
    }
  }

  @Test
  void pathsAreMatchedDecodedWithAPlusKeptAsItIs() throws Exception {
    assertThat(FrontendHandler.decodedPath("/static/a%20b+c.css?q=1")).isEqualTo("/static/a b+c.css");
    assertThat(FrontendHandler.decodedPath("/static/a+b.css")).isEqualTo("/static/a+b.css");
    assertThat(FrontendHandler.decodedPath("/static/%zz")).as("not decodable: as it is").isEqualTo("/static/%zz");
  }

  @Test
  void traversalNeverReachesFilesOutsideTheHandlerDirectory() throws Exception {
    try (RawClient c = harness.client()) {
      for (String path : List.of("/static/../secret.txt", "/static/%2e%2e/secret.txt",
          "/static/..%2fsecret.txt", "/static/%2E%2E%2Fsecret.txt", "/static/css/..%5c..%5csecret.txt",
          "/img/%2e%2e/secret.txt")) {
        RawClient.Response r = c.get(HOST, path);
        assertThat(r.status()).as(path).isIn(400, 404);
        assertThat(r.text()).as(path).doesNotContain("secret").doesNotContain("v1.web.1");
      }
      assertThat(c.get(HOST, "/static/escape.txt").status()).as("a symlink out of the root").isEqualTo(404);
      assertThat(c.get(HOST, "/static/%252e%252e/secret.txt").status()).isEqualTo(404);
    }
  }

  @Test
  void aHandlerRegexThatBacktracksForeverGivesUpAndTheRequestGoesToTheAppWhileOthersAreServed()
      throws Exception {
    Path root = dir.resolve("files");
    // No group, no nested quantifier, so the build accepts it; on "aaa...a" it takes ~n^8 steps.
    StaticHandlers hostile = new StaticHandlers(root, List.of(
        new StaticHandler(StaticHandler.Kind.FILES, Pattern.compile("/" + ".*a".repeat(8) + "x"),
            "images/logo.png",
            Pattern.compile("images/.*"), null, Map.of(), null),
        new StaticHandler(StaticHandler.Kind.DIR, StaticHandler.dirPattern("/static"), "public", null,
            null, Map.of(), null)));
    harness.route("hostile.localhost", new Route("hostile", SplitBy.RANDOM, List.of(
        new VersionRoute(1, 100, List.of(backend.backend())).withHandlers(hostile))));
    try (RawClient c = harness.client(); RawClient other = harness.client()) {
      long start = System.nanoTime();
      RawClient.Response r = c.get("hostile.localhost", "/" + "a".repeat(300));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).as("over its budget: no match, the app answers").startsWith("v1.web.1\n");
      assertThat(millis).as("answered in bounded time").isLessThan(2_000);
      assertThat(other.get(HOST, "/static/css/site.css").text()).isEqualTo("body{}");
      assertThat(c.get("hostile.localhost", "/" + "a".repeat(8) + "x").text())
          .as("a match within budget still serves the file").isEqualTo("PNG");
      assertThat(c.get(HOST, "/static/" + "c".repeat(3000)).text())
          .as("a path longer than any handler considers goes to the app").startsWith("v1.web.1\n");
    }
  }

  @Test
  void aHandlersFramingHeaderFromAnOldSlugDoesNotChangeTheResponseFraming() throws Exception {
    Path root = dir.resolve("files");
    StaticHandlers framing = new StaticHandlers(root, List.of(
        new StaticHandler(StaticHandler.Kind.DIR, StaticHandler.dirPattern("/static"), "public", null,
            null, Map.of("Content-Length", "0", "Connection", "close", "X-Ok", "yes"), null)));
    harness.route("framing.localhost", new Route("framing", SplitBy.RANDOM, List.of(
        new VersionRoute(1, 100, List.of(backend.backend())).withHandlers(framing))));
    try (RawClient c = harness.client()) {
      RawClient.Response css = c.get("framing.localhost", "/static/css/site.css");
      assertThat(css.text()).as("the body arrives whole").isEqualTo("body{}");
      assertThat(css.header("content-length")).isEqualTo("6");
      assertThat(css.header("x-ok")).isEqualTo("yes");
      assertThat(c.get("framing.localhost", "/static/css/site.css").text())
          .as("a second request on the same connection").isEqualTo("body{}");
    }
  }
}
