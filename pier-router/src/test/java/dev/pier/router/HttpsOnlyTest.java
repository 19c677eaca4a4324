package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.Route;
import dev.pier.model.RouteHttps;
import dev.pier.model.RouteTable;
import dev.pier.router.tls.PierCa;
import dev.pier.router.tls.PierCaCertificates;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * #12 https-only and HSTS: plain-HTTP requests to an https-only app get a 308 to the HTTPS URL on
 * every host of the app (except ACME challenges); HSTS is sent over TLS only; the forwarding
 * headers apps see say how the request really came in, whatever the client claimed.
 */
class HttpsOnlyTest {
  private static final PierCa CA = PierCa.create("Pier test CA");
  private TestBackend web;
  private TestBackend plain;
  private RouterHarness harness;

  @BeforeEach
  void start() throws Exception {
    web = new TestBackend("secure.web.1");
    plain = new TestBackend("open.web.1");
    harness = new RouterHarness(RouterHarness.FAST);
    harness.router.startTls(0, new PierCaCertificates(CA, "localhost"));
    routes(new RouteHttps(true, false));
  }

  private void routes(RouteHttps https) {
    Route secure = new Route("secure", List.of(web.backend())).withHttps(https);
    Route open = new Route("open", List.of(plain.backend()));
    harness.router.routes(new RouteTable(Map.of("secure.localhost", secure, "v3.secure.localhost", secure,
        "pr-7.secure.localhost", secure, "www.example.com", secure, "open.localhost", open),
        Map.of("secure.test", secure), harness.router.tlsPort()));
  }

  @AfterEach
  void stop() {
    harness.close();
    web.close();
    plain.close();
  }

  @Test
  void plainHttpToAnHttpsOnlyAppIsRedirectedToTheSameUrlOnTheTlsPort() throws Exception {
    int tls = harness.router.tlsPort();
    try (RawClient client = harness.client()) {
      for (String host : List.of("secure.localhost", "v3.secure.localhost", "pr-7.secure.localhost",
          "www.example.com", "shop.secure.test")) {
        RawClient.Response r = client.get(host + ":" + harness.port(), "/cart/items?id=5&x=%20y");
        assertThat(r.status()).as(host).isEqualTo(308);
        assertThat(r.header("location")).as(host)
            .isEqualTo("https://" + host + ":" + tls + "/cart/items?id=5&x=%20y");
        assertThat(r.header("x-router-error")).isEqualTo("https_redirect");
      }
    }
  }

  @Test
  void theRedirectLeavesOutPort443() {
    assertThat(HttpsRedirect.location("Shop.example.com:80", "/a?b=c", 443)).isEqualTo("https://shop.example.com/a?b=c");
    assertThat(HttpsRedirect.location("[::1]:8080", "/", 8443)).isEqualTo("https://[::1]:8443/");
    assertThat(HttpsRedirect.location("www.example.com.", "http://www.example.com/x?y", 8443))
        .isEqualTo("https://www.example.com:8443/x?y");
  }

  @Test
  void aHostHeaderThatIsNotAHostNameGetsNoRouteNorARedirectToAnotherHost() throws Exception {
    try (RawClient client = harness.client()) {
      for (String host : List.of("u@3232235777?.secure.test", "a/b.secure.test", "a#.secure.test",
          "u@www.example.com")) {
        RawClient.Response r = client.get(host, "/");
        assertThat(r.status()).as(host).isEqualTo(404);
        assertThat(r.header("location")).as(host).isNull();
      }
      assertThat(client.get("SHOP.Secure.Test.:" + harness.port(), "/").header("location"))
          .isEqualTo("https://shop.secure.test:" + harness.router.tlsPort() + "/");
    }
    assertThat(HttpsRedirect.location("u@3232235777?.secure.test", "/", 8443)).isNull();
  }

  @Test
  void onlyAnExactAcmeChallengeTokenPathSkipsTheRedirect() throws Exception {
    try (RawClient client = harness.client()) {
      assertThat(client.get("secure.localhost", "/.well-known/acme-challenge/aZ09_-x?q=1").status()).isEqualTo(200);
      for (String path : List.of("/.well-known/acme-challenge/../../account",
          "/.well-known/acme-challenge/%2e%2e/%2e%2e/account", "/.well-known/acme-challenge/%2E%2E",
          "/.well-known/acme-challenge/tok/en", "/.well-known/acme-challenge/tok.en",
          "/.well-known/acme-challenge/", "/.well-known/acme-challenge/..;/account")) {
        RawClient.Response r = client.get("secure.localhost", path);
        assertThat(r.status()).as(path).isEqualTo(308);
      }
    }
  }

  @Test
  void overHttp2TheTlsPortServesWithHstsAndThePlainPortRedirects() throws Exception {
    routes(new RouteHttps(true, true));
    io.netty.handler.codec.http2.Http2Headers get = new io.netty.handler.codec.http2.DefaultHttp2Headers()
        .method("GET").path("/x?y=1").scheme("https").authority("secure.localhost");
    try (RawH2Client h2 = new RawH2Client(tlsSocket("secure.localhost", "h2"))) {
      h2.preface().headers(1, get, true).flush();
      assertThat(h2.await(f -> f.type().equals("HEADERS") && f.stream() == 1, 5000).status()).isEqualTo("200");
      assertThat(h2.headersOf(1).get("strict-transport-security")).hasToString(HttpsRedirect.HSTS);
    }
    try (RawH2Client h2c = new RawH2Client(new Socket("127.0.0.1", harness.port()))) {
      h2c.preface().headers(1, get.scheme("http"), true).flush();
      assertThat(h2c.await(f -> f.type().equals("HEADERS") && f.stream() == 1, 5000).status()).isEqualTo("308");
      assertThat(h2c.headersOf(1).get("location"))
          .hasToString("https://secure.localhost:" + harness.router.tlsPort() + "/x?y=1");
      assertThat(h2c.headersOf(1).get("strict-transport-security")).isNull();
    }
  }

  @Test
  void acmeChallengesAndOtherAppsAreServedOverPlainHttp() throws Exception {
    try (RawClient client = harness.client()) {
      RawClient.Response acme = client.get("secure.localhost", "/.well-known/acme-challenge/tok3n");
      assertThat(acme.status()).isEqualTo(200);
      assertThat(acme.instance()).isEqualTo("secure.web.1");
      assertThat(client.get("secure.localhost", "/.well-known/other").status()).isEqualTo(308);
      RawClient.Response open = client.get("open.localhost", "/");
      assertThat(open.status()).isEqualTo(200);
      assertThat(open.header("strict-transport-security")).isNull();
    }
  }

  @Test
  void theTlsPortServesAnHttpsOnlyAppWithoutRedirect() throws Exception {
    String answer = tlsGet("secure.localhost", "/cart?id=5");
    assertThat(answer).startsWith("HTTP/1.1 200").contains("secure.web.1\n")
        .doesNotContainIgnoringCase("strict-transport-security");
  }

  @Test
  void hstsIsSentOverTlsOnly() throws Exception {
    routes(new RouteHttps(false, true));
    assertThat(tlsGet("secure.localhost", "/")).startsWith("HTTP/1.1 200")
        .containsIgnoringCase("strict-transport-security: max-age=31536000\n");
    try (RawClient client = harness.client()) {
      RawClient.Response r = client.get("secure.localhost", "/");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("strict-transport-security")).isNull();
    }
  }

  @Test
  void aStaticSiteOfAnHstsAppCarriesHstsOverTls(@org.junit.jupiter.api.io.TempDir java.nio.file.Path root)
      throws Exception {
    java.nio.file.Files.writeString(root.resolve("index.html"), "<h1>static</h1>");
    java.nio.file.Files.writeString(root.resolve("big.txt"), "a".repeat(300_000));
    Route site = new Route("secure", dev.pier.model.SplitBy.RANDOM,
        List.of(dev.pier.model.VersionRoute.serving(1, 100, dev.pier.model.StaticSite.plain(root))))
        .withHttps(new RouteHttps(false, true));
    harness.router.routes(new RouteTable(Map.of("secure.localhost", site), Map.of(), harness.router.tlsPort()));
    assertThat(tlsGet("secure.localhost", "/")).startsWith("HTTP/1.1 200").contains("<h1>static</h1>")
        .containsIgnoringCase("strict-transport-security: max-age=31536000\n");
    String big = tlsGet("secure.localhost", "/big.txt");
    assertThat(big.substring(big.indexOf("\n\n") + 2)).as("a file's bytes over TLS").isEqualTo("a".repeat(300_000));
    try (RawClient client = harness.client()) {
      assertThat(client.get("secure.localhost", "/").header("strict-transport-security")).isNull();
    }
  }

  @Test
  void aStaticSitesHttpsOnlyGoesByTheRealProtocolNotTheClientsHeader(@org.junit.jupiter.api.io.TempDir java.nio.file.Path root)
      throws Exception {
    java.nio.file.Files.writeString(root.resolve("index.html"), "<h1>static</h1>");
    dev.pier.model.StaticSite httpsOnly = new dev.pier.model.StaticSite(root, false, List.of(), List.of(), Map.of(), true, null);
    Route site = new Route("secure", dev.pier.model.SplitBy.RANDOM,
        List.of(dev.pier.model.VersionRoute.serving(1, 100, httpsOnly)));
    harness.router.routes(new RouteTable(Map.of("secure.localhost", site), Map.of(), harness.router.tlsPort()));
    assertThat(tlsGet("secure.localhost", "/")).as("no redirect loop over TLS").startsWith("HTTP/1.1 200")
        .contains("<h1>static</h1>");
    try (RawClient client = harness.client()) {
      RawClient.Response claimed = client.get("secure.localhost", "/a.html?b=c", "X-Forwarded-Proto: https");
      assertThat(claimed.status()).isEqualTo(301);
      assertThat(claimed.header("location")).as("to the router's HTTPS port")
          .isEqualTo("https://secure.localhost:" + harness.router.tlsPort() + "/a.html?b=c");
    }
  }

  @Test
  void withoutAnHttpsPortNothingIsRedirected() throws Exception {
    harness.router.routes(new RouteTable(Map.of("secure.localhost",
        new Route("secure", List.of(web.backend())).withHttps(new RouteHttps(true, true)))));
    try (RawClient client = harness.client()) {
      assertThat(client.get("secure.localhost", "/").status()).isEqualTo(200);
    }
  }

  @Test
  void appsSeeTheRealProtoAndPortWhateverTheClientSent() throws Exception {
    routes(RouteHttps.DEFAULT);
    try (RawClient client = harness.client()) {
      RawClient.Response r = client.get("secure.localhost", "/",
          "X-Forwarded-Proto: https", "X-Forwarded-Port: 443");
      assertThat(r.seen("x-forwarded-proto")).isEqualTo("http");
      assertThat(r.seen("x-forwarded-port")).isEqualTo(Integer.toString(harness.port()));
    }
    String answer = tlsGet("secure.localhost", "/", "X-Forwarded-Proto: http", "X-Forwarded-Port: 80");
    assertThat(answer).contains("x-forwarded-proto: https\n")
        .contains("x-forwarded-port: " + harness.router.tlsPort() + "\n")
        .doesNotContain("x-forwarded-proto: http\n").doesNotContain("x-forwarded-port: 80\n");
  }

  private SSLSocket tlsSocket(String host, String alpn) throws Exception {
    int port = harness.router.tlsPort();
    SSLSocket s = (SSLSocket) trustingCa().getSocketFactory()
        .createSocket(new Socket("127.0.0.1", port), host, port, true);
    SSLParameters params = s.getSSLParameters();
    params.setServerNames(List.of(new SNIHostName(host)));
    params.setApplicationProtocols(new String[] {alpn});
    s.setSSLParameters(params);
    s.setSoTimeout(20_000);
    s.startHandshake();
    return s;
  }

  private static SSLContext trustingCa() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("pier", CA.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  private String tlsGet(String host, String path, String... headerLines) throws Exception {
    int port = harness.router.tlsPort();
    try (SSLSocket s = (SSLSocket) trustingCa().getSocketFactory()
        .createSocket(new Socket("127.0.0.1", port), host, port, true)) {
      SSLParameters params = s.getSSLParameters();
      params.setServerNames(List.of(new SNIHostName(host)));
      s.setSSLParameters(params);
      s.setSoTimeout(5000);
      StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
      for (String line : headerLines) request.append(line).append("\r\n");
      request.append("Connection: close\r\n\r\n");
      s.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      return readAll(s).replace("\r\n", "\n");
    }
  }

  private static String readAll(SSLSocket s) throws IOException {
    return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
