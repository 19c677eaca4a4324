package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.PathGlob;
import dev.pier.model.Route;
import dev.pier.model.SplitBy;
import dev.pier.model.StaticSite;
import dev.pier.model.VersionRoute;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A static version answered by the router from real files, through real sockets. */
class StaticSiteTest {
  private static final String HOST = "site.localhost";

  @TempDir Path dir;
  private Path root;
  private RouterHarness harness;
  private final String script = "console.log('hello');\n".repeat(400);

  @BeforeEach
  void start() throws Exception {
    root = Files.createDirectories(dir.resolve("site"));
    Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
    Files.writeString(root.resolve("about.html"), "<h1>about</h1>");
    Files.createDirectories(root.resolve("assets"));
    Files.writeString(root.resolve("assets/app.js"), script);
    try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(root.resolve("assets/app.js.gz")))) {
      gz.write(script.getBytes(StandardCharsets.UTF_8));
    }
    Files.writeString(root.resolve("missing.html"), "<h1>nothing here</h1>");
    Files.createDirectories(root.resolve("docs"));
    Files.writeString(root.resolve("docs/index.html"), "<h1>docs</h1>");
    Files.writeString(dir.resolve("secret.txt"), "secret");
    Files.createSymbolicLink(root.resolve("escape.txt"), dir.resolve("secret.txt"));
    harness = new RouterHarness();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private void serve(StaticSite site) {
    harness.route(HOST, new Route("site", SplitBy.RANDOM, List.of(VersionRoute.serving(3, 100, site))));
  }

  private StaticSite spa() {
    return new StaticSite(root, true,
        List.of(new StaticSite.Rewrite(PathGlob.of("/app/**"), "index.html")),
        List.of(new StaticSite.HeaderRule(PathGlob.of("/assets/**"),
            Map.of("Cache-Control", "public, max-age=31536000, immutable"))),
        Map.of("/old", new StaticSite.Redirect("/about", 301)), false, "missing.html");
  }

  @Test
  void aFileIsServedWithTypeLengthEtagAndLastModifiedAndLogged() throws Exception {
    serve(StaticSite.plain(root));
    try (RawClient c = harness.client()) {
      RawClient.Response r = c.get(HOST, "/index.html");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("<h1>home</h1>");
      assertThat(r.header("content-type")).isEqualTo("text/html; charset=utf-8");
      assertThat(r.header("etag")).startsWith("\"");
      assertThat(r.header("last-modified")).endsWith("GMT");
      assertThat(r.header("x-request-id")).isNotBlank();
      // keep-alive: a second request on the same connection
      assertThat(c.get(HOST, "/").text()).isEqualTo("<h1>home</h1>");
    }
    AccessLogEntry entry = harness.log.next();
    assertThat(entry.app()).isEqualTo("site");
    assertThat(entry.version()).isEqualTo(3);
    assertThat(entry.status()).isEqualTo(200);
    assertThat(entry.bytes()).isEqualTo(13);
    assertThat(entry.instance()).isNull();
  }

  @Test
  void aMatchingEtagGets304WithoutABody() throws Exception {
    serve(StaticSite.plain(root));
    try (RawClient c = harness.client()) {
      String etag = c.get(HOST, "/about.html").header("etag");
      RawClient.Response again = c.get(HOST, "/about.html", "If-None-Match: " + etag);
      assertThat(again.status()).isEqualTo(304);
      assertThat(again.body()).isEmpty();
      assertThat(again.header("etag")).isEqualTo(etag);
      assertThat(c.get(HOST, "/about.html", "If-None-Match: \"other\"").status()).isEqualTo(200);
    }
  }

  @Test
  void aRangeGets206AndOneBeyondTheEnd416() throws Exception {
    serve(StaticSite.plain(root));
    try (RawClient c = harness.client()) {
      RawClient.Response part = c.get(HOST, "/assets/app.js", "Range: bytes=8-11", "Accept-Encoding: gzip");
      assertThat(part.status()).isEqualTo(206);
      assertThat(part.text()).isEqualTo("log(");
      assertThat(part.header("content-range")).isEqualTo("bytes 8-11/" + script.length());
      assertThat(part.header("content-encoding")).isNull();
      RawClient.Response tail = c.get(HOST, "/index.html", "Range: bytes=-5");
      assertThat(tail.text()).isEqualTo("home</h1>".substring(4));
      RawClient.Response beyond = c.get(HOST, "/index.html", "Range: bytes=500-");
      assertThat(beyond.status()).isEqualTo(416);
      assertThat(beyond.header("content-range")).isEqualTo("bytes */13");
    }
  }

  @Test
  void theGzipVariantIsSentToClientsThatAcceptIt() throws Exception {
    serve(StaticSite.plain(root));
    try (RawClient c = harness.client()) {
      RawClient.Response gz = c.get(HOST, "/assets/app.js", "Accept-Encoding: br, gzip;q=0.8");
      assertThat(gz.header("content-encoding")).isEqualTo("gzip");
      assertThat(gz.header("vary")).isEqualTo("Accept-Encoding");
      assertThat(gz.header("content-type")).isEqualTo("text/javascript; charset=utf-8");
      assertThat(gz.body().length).isLessThan(script.length() / 10);
      assertThat(gunzip(gz.body())).isEqualTo(script);
      RawClient.Response plain = c.get(HOST, "/assets/app.js", "Accept-Encoding: gzip;q=0");
      assertThat(plain.header("content-encoding")).isNull();
      assertThat(plain.text()).isEqualTo(script);
      assertThat(plain.header("etag")).isNotEqualTo(gz.header("etag"));
    }
  }

  @Test
  void traversalAndSymlinksOutOfTheRootAreRefused() throws Exception {
    serve(StaticSite.plain(root));
    try (RawClient c = harness.client()) {
      assertThat(c.get(HOST, "/..%2fsecret.txt").status()).isEqualTo(400);
      assertThat(c.get(HOST, "/assets/%2e%2e/%2e%2e/secret.txt").status()).isEqualTo(400);
      assertThat(c.get(HOST, "/..%5csecret.txt").status()).isEqualTo(400);
      RawClient.Response link = c.get(HOST, "/escape.txt");
      assertThat(link.status()).isEqualTo(404);
      assertThat(link.text()).doesNotContain("secret");
    }
  }

  @Test
  void staticJsonRulesCleanUrlsSpaRoutesRedirectsHeadersAndErrorPage() throws Exception {
    serve(spa());
    try (RawClient c = harness.client()) {
      assertThat(c.get(HOST, "/about").text()).isEqualTo("<h1>about</h1>");
      RawClient.Response withHtml = c.get(HOST, "/about.html?x=1");
      assertThat(withHtml.status()).isEqualTo(301);
      assertThat(withHtml.header("location")).isEqualTo("/about?x=1");
      RawClient.Response deep = c.get(HOST, "/app/users/42");
      assertThat(deep.status()).isEqualTo(200);
      assertThat(deep.text()).isEqualTo("<h1>home</h1>");
      RawClient.Response old = c.get(HOST, "/old");
      assertThat(old.status()).isEqualTo(301);
      assertThat(old.header("location")).isEqualTo("/about");
      assertThat(c.get(HOST, "/assets/app.js").header("cache-control")).contains("immutable");
      RawClient.Response dirNoSlash = c.get(HOST, "/docs");
      assertThat(dirNoSlash.status()).isEqualTo(301);
      assertThat(dirNoSlash.header("location")).isEqualTo("/docs/");
      assertThat(c.get(HOST, "/docs/").text()).isEqualTo("<h1>docs</h1>");
      RawClient.Response missing = c.get(HOST, "/nope");
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.text()).isEqualTo("<h1>nothing here</h1>");
      RawClient.Response post = postEmpty(c, "/index.html");
      assertThat(post.status()).isEqualTo(405);
      assertThat(post.header("allow")).isEqualTo("GET, HEAD");
    }
  }

  @Test
  void httpsOnlyRedirectsPlainRequestsWhateverTheClientClaims() throws Exception {
    serve(new StaticSite(root, false, List.of(), List.of(), Map.of(), true, null));
    try (RawClient c = harness.client()) {
      RawClient.Response plain = c.get(HOST, "/about.html?a=b");
      assertThat(plain.status()).isEqualTo(301);
      assertThat(plain.header("location")).isEqualTo("https://" + HOST + "/about.html?a=b");
      // served over the TLS port only: HttpsOnlyTest.aStaticSitesHttpsOnlyGoesByTheRealProtocol...
      assertThat(c.get(HOST, "/about.html", "X-Forwarded-Proto: https").status()).isEqualTo(301);
    }
  }

  @Test
  void headAnswersHeadersOnly() throws Exception {
    serve(StaticSite.plain(root));
    try (RawClient c = harness.client()) {
      c.send("HEAD /index.html HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n");
      RawClient.Head head = c.readHead();
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("content-length")).isEqualTo("13");
      assertThat(c.get(HOST, "/about.html").text()).isEqualTo("<h1>about</h1>"); // nothing stray
    }
  }

  @Test
  void aSplitSendsTheStaticVersionItsShareAndTheOtherToItsInstance() throws Exception {
    try (TestBackend v1 = new TestBackend("v1.web.1")) {
      harness.route(HOST, new Route("site", SplitBy.COOKIE, List.of(
          new VersionRoute(1, 50, List.of(v1.backend())),
          VersionRoute.serving(2, 50, StaticSite.plain(root)))));
      int fromFiles = 0;
      int fromInstance = 0;
      for (int bucket = 0; bucket < 10_000; bucket += 500) {
        try (RawClient c = harness.client()) {
          RawClient.Response r = c.get(HOST, "/index.html", "Cookie: pier_split=" + bucket);
          assertThat(r.status()).isEqualTo(200);
          if (r.text().equals("<h1>home</h1>")) fromFiles++;
          else fromInstance++;
        }
      }
      assertThat(fromFiles).isEqualTo(10);
      assertThat(fromInstance).isEqualTo(10);
      try (RawClient c = harness.client()) { // a new client gets its bucket from either version
        assertThat(c.get(HOST, "/index.html").header("set-cookie")).startsWith("pier_split=");
      }
    }
  }

  private static RawClient.Response postEmpty(RawClient c, String path) throws Exception {
    c.send("POST " + path + " HTTP/1.1\r\nHost: " + HOST + "\r\nContent-Length: 0\r\n\r\n");
    return c.readResponse();
  }

  private static String gunzip(byte[] bytes) throws Exception {
    try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void aHeaderRuleSettingFramingHeadersFromAnOldSlugDoesNotChangeTheResponseFraming() throws Exception {
    serve(new StaticSite(root, false, List.of(),
        List.of(new StaticSite.HeaderRule(PathGlob.of("/**"),
            Map.of("Content-Length", "0", "Transfer-Encoding", "chunked", "X-Ok", "yes"))),
        Map.of(), false, null));
    try (RawClient c = harness.client()) {
      RawClient.Response r = c.get(HOST, "/index.html");
      assertThat(r.text()).as("the body arrives whole").isEqualTo("<h1>home</h1>");
      assertThat(r.header("transfer-encoding")).isNull();
      assertThat(r.header("x-ok")).isEqualTo("yes");
      assertThat(c.get(HOST, "/about.html").text()).as("a second request on the same connection")
          .isEqualTo("<h1>about</h1>");
    }
  }
}
