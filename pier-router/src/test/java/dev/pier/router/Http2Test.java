package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.router.http2.Http2Front;
import dev.pier.router.tls.PierCa;
import dev.pier.router.tls.PierCaCertificates;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 clients (the JDK's HttpClient, and raw frames for abuse) served by HTTP/1.1 instances:
 * ALPN h2 on the TLS port, h2c upgrade and prior knowledge on the plain port.
 */
class Http2Test {
  private static final PierCa CA = PierCa.create("Pier test CA");
  private TestBackend web;
  private RouterHarness harness;
  private HttpClient client;

  @BeforeEach
  void start() throws Exception {
    web = new TestBackend("web.1");
    harness = new RouterHarness();
    harness.router.startTls(0, new dev.pier.router.tls.AppCertificates(
        new PierCaCertificates(CA, "localhost")));
    harness.route("localhost", "hello", web.backend());
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(trustingCa())
        .build();
  }

  @AfterEach
  void stop() {
    client.close();
    harness.close();
    web.close();
  }

  @Test
  void aGetOverTlsIsServedOverHttp2ByTheHttp11Instance() throws Exception {
    HttpResponse<String> response = client.send(get("/"), HttpResponse.BodyHandlers.ofString());
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-request-id")).isPresent();
    assertThat(response.body()).startsWith("web.1\n")
        .contains("host: localhost:" + harness.router.tlsPort() + "\n")
        .contains("x-forwarded-proto: https\n")
        .doesNotContain("x-http2-").doesNotContain("\nte:").doesNotContain("upgrade");
    AccessLogEntry entry = harness.log.next();
    assertThat(entry.app()).isEqualTo("hello");
    assertThat(entry.status()).isEqualTo(200);
    assertThat(entry.instance()).isEqualTo("web.1");
    assertThat(harness.router.load().version("hello", 0)).isNotNull();
  }

  @Test
  void postBodiesReachTheAppIntactSmallAndLarge() throws Exception {
    for (int size : new int[] {11, 2 * 1024 * 1024}) {
      byte[] body = new byte[size];
      new Random(size).nextBytes(body);
      HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(tls("/echo"))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(body);
    }
  }

  @Test
  void aChunkedResponseFromTheAppStreamsAsData() throws Exception {
    long bytes = 1_000_001;
    HttpResponse<byte[]> response = client.send(get("/download?bytes=" + bytes),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.headers().firstValue("transfer-encoding")).isEmpty();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    assertThat(HexFormat.of().formatHex(sha.digest(response.body())))
        .isEqualTo(PatternBytes.sha256(bytes));
  }

  @Test
  void concurrentStreamsShareOneConnectionAndEachIsLogged() throws Exception {
    int n = Http2Front.MAX_CONCURRENT_STREAMS;
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    // One connection first, so the next requests are multiplexed on it.
    assertThat(client.send(get("/"), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
    for (int i = 0; i < n; i++) {
      answers.add(client.sendAsync(get("/hold"), HttpResponse.BodyHandlers.ofString()));
    }
    for (int i = 0; i < n; i++) web.awaitHeld();
    harness.awaitInFlight(n); // all n are at the instance at once
    assertThat(harness.router.clientConnections()).isEqualTo(1);
    for (int i = 0; i < n; i++) web.releaseHeld();
    for (CompletableFuture<HttpResponse<String>> answer : answers) {
      HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    }
    for (int i = 0; i < n + 1; i++) assertThat(harness.log.next().status()).isEqualTo(200);
    assertThat(harness.router.clientConnections()).isEqualTo(1); // streams end, not the connection
    harness.awaitInFlight(0);
  }

  @Test
  void aStreamResetByTheClientFreesItsInstanceConnection() throws Exception {
    try (RawH2Client h2 = new RawH2Client(tlsSocket("h2"))) {
      h2.preface().headers(1, request("GET", "/hold"), true).flush();
      web.awaitHeld();
      harness.awaitInFlight(1);
      h2.reset(1).flush();
      harness.awaitInFlight(0);
      AccessLogEntry entry = harness.log.next();
      assertThat(entry.error()).isEqualTo(RouterError.CLIENT_CLOSED);
      // the connection goes on: a new stream is served
      h2.headers(3, request("GET", "/"), true).flush();
      assertThat(h2.await(f -> f.type().equals("HEADERS") && f.stream() == 3, 5000).status())
          .isEqualTo("200");
    }
  }

  @Test
  void oversizedHeadersGet431AndRouterErrorsTheirPageOnTheirStreamOnly() throws Exception {
    try (RawH2Client h2 = new RawH2Client(tlsSocket("h2"))) {
      Http2Headers big = request("GET", "/");
      big.add("x-big", "a".repeat(RouterInitializer.MAX_HEADER_BYTES + 1));
      h2.preface().headers(1, big, true).flush();
      assertThat(h2.await(f -> f.type().equals("HEADERS") && f.stream() == 1, 5000).status())
          .isEqualTo("431");
      h2.headers(3, request("GET", "/"), true).flush();
      assertThat(h2.await(f -> f.type().equals("HEADERS") && f.stream() == 3, 5000).status())
          .isEqualTo("200");
      // a router error page goes on its stream too
      h2.headers(5, request("GET", "/").authority("nobody.localhost"), true).flush();
      assertThat(h2.await(f -> f.type().equals("HEADERS") && f.stream() == 5, 5000).status())
          .isEqualTo("404");
      assertThat(h2.await(f -> f.type().equals("DATA_END") && f.stream() == 5, 5000)).isNotNull();
      h2.headers(7, request("GET", "/"), true).flush();
      assertThat(h2.await(f -> f.type().equals("HEADERS") && f.stream() == 7, 5000).status())
          .isEqualTo("200");
    }
  }

  @Test
  void connectionSpecificHeadersAreRefusedOnTheirStreamAndNeverReachTheApp() throws Exception {
    try (RawH2Client h2 = new RawH2Client(tlsSocket("h2"))) {
      h2.preface();
      int stream = 1;
      for (String[] header : new String[][] {{"connection", "keep-alive"},
          {"transfer-encoding", "chunked"}, {"upgrade", "websocket"}, {"te", "gzip"}}) {
        Http2Headers bad = request("GET", "/");
        bad.add(header[0], header[1]);
        h2.headers(stream, bad, true).flush();
        int id = stream;
        RawH2Client.Frame reset = h2.await(f -> f.stream() == id
            && (f.type().equals("RST_STREAM") || f.type().equals("HEADERS")), 5000);
        assertThat(reset.type()).as(header[0]).isEqualTo("RST_STREAM");
        assertThat(reset.code()).isEqualTo(1L); // PROTOCOL_ERROR
        stream += 2;
      }
      Http2Headers trailersOnly = request("GET", "/");
      trailersOnly.add("te", "trailers");
      h2.headers(stream, trailersOnly, true).flush();
      int id = stream;
      assertThat(h2.await(f -> f.type().equals("HEADERS") && f.stream() == id, 5000).status())
          .isEqualTo("200");
      AccessLogEntry only = harness.log.next(); // the refused ones never became requests
      assertThat(only.status()).isEqualTo(200);
      assertThat(harness.log.size()).isZero();
    }
  }

  @Test
  void malformedRequestsGet400OnTheirStreamAreLoggedAndNeverReachTheApp() throws Exception {
    try (RawH2Client h2 = new RawH2Client(tlsSocket("h2"))) {
      h2.preface();
      List<Http2Headers> bad = new ArrayList<>();
      bad.add(unchecked("GET", "/a\tb")); // a TAB would end the request line at the instance
      bad.add(unchecked("GET", "/a b"));
      bad.add(unchecked("GET", "/caf\u00e9"));
      bad.add(unchecked("GE T", "/"));
      Http2Headers twoHosts = request("GET", "/");
      twoHosts.add("host", "other.localhost");
      bad.add(twoHosts);
      int stream = 1;
      for (Http2Headers headers : bad) {
        h2.headers(stream, headers, true).flush();
        int id = stream;
        RawH2Client.Frame answer = h2.await(f -> f.stream() == id
            && (f.type().equals("RST_STREAM") || f.type().equals("HEADERS")), 5000);
        assertThat(answer.type()).as(headers.toString()).isEqualTo("HEADERS");
        assertThat(answer.status()).as(headers.toString()).isEqualTo("400");
        AccessLogEntry entry = harness.log.next();
        assertThat(entry.status()).isEqualTo(400);
        assertThat(entry.instance()).isNull();
        stream += 2;
      }
      // A body announced but the stream ended without it: the codec resets it at once
      Http2Headers noBody = request("POST", "/echo");
      noBody.add("content-length", "5");
      h2.headers(stream, noBody, true).flush();
      int reset = stream;
      RawH2Client.Frame answer = h2.await(f -> f.stream() == reset
          && (f.type().equals("RST_STREAM") || f.type().equals("HEADERS")), 5000);
      assertThat(answer.type()).isEqualTo("RST_STREAM");
      stream += 2;
      Http2Headers sameHost = request("GET", "/");
      sameHost.add("host", "localhost:" + harness.router.tlsPort());
      h2.headers(stream, sameHost, true).flush();
      int id = stream;
      assertThat(h2.await(f -> f.type().equals("HEADERS") && f.stream() == id, 5000).status())
          .isEqualTo("200");
    }
  }

  @Test
  void streamsCountAgainstTheClientsConnectionLimitAndTheOnesOverItGet429() throws Exception {
    harness.close();
    harness = new RouterHarness(RouterHarness.FAST.withClientLimits(
        new ClientLimits(java.time.Duration.ofSeconds(10), 10_000, 5)));
    harness.route("localhost", "hello", web.backend());
    try (RawH2Client h2 = new RawH2Client(new Socket("127.0.0.1", harness.port()))) {
      h2.preface();
      int streams = 8;
      for (int i = 0; i < streams; i++) {
        h2.headers(1 + 2 * i, request("GET", "/hold").scheme("http"), true);
      }
      h2.flush();
      // The connection and 4 streams make the 5 this address may hold; the other 4 are refused.
      for (int i = 0; i < 4; i++) web.awaitHeld();
      List<RawH2Client.Frame> refused = new ArrayList<>();
      while (refused.size() < streams - 4) {
        RawH2Client.Frame f = h2.await(x -> x.type().equals("HEADERS")
            && refused.stream().noneMatch(r -> r.stream() == x.stream()), 5000);
        assertThat(f).isNotNull();
        assertThat(f.status()).isEqualTo("429");
        refused.add(f);
      }
      assertThat(harness.router.inFlight()).isEqualTo(4);
      assertThat(harness.router.clientConnections()).isEqualTo(1);
      for (int i = 0; i < 4; i++) web.releaseHeld();
      harness.awaitInFlight(0);
      // Streams that ended give their share back: a new one is served.
      int next = 1 + 2 * streams;
      h2.headers(next, request("GET", "/").scheme("http"), true).flush();
      assertThat(h2.await(f -> f.type().equals("HEADERS") && f.stream() == next
          && f.status().equals("200"), 5000)).isNotNull();
    }
  }

  @Test
  void aRapidResetFloodEndsTheConnectionAndTheInstanceSeesABoundedShare() throws Exception {
    int streams = 2 * Http2Front.MAX_RESETS_PER_WINDOW + 100;
    try (RawH2Client h2 = new RawH2Client(tlsSocket("h2"))) {
      h2.preface();
      for (int i = 0; i < streams; i++) {
        int id = 1 + 2 * i;
        h2.headers(id, request("GET", "/"), true).reset(id);
        if (i % 50 == 49) h2.flush();
      }
      h2.flush();
      RawH2Client.Frame goAway = h2.await(f -> f.type().equals("GOAWAY"), 10_000);
      assertThat(goAway).isNotNull();
      assertThat(goAway.code()).isEqualTo(11L); // ENHANCE_YOUR_CALM
      assertThat(h2.awaitClosed(5000)).isTrue();
    }
    harness.awaitInFlight(0);
    harness.awaitClientConnections(0);
    // Only the streams before the cut were served (each one logged), not the whole flood.
    assertThat(harness.log.size())
        .isLessThanOrEqualTo(Http2Front.MAX_RESETS_PER_WINDOW + Http2Front.MAX_CONCURRENT_STREAMS);
    assertThat(client.send(get("/"), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void garbageInsteadOfThePrefaceClosesTheConnection() throws Exception {
    try (RawH2Client h2 = new RawH2Client(tlsSocket("h2"))) {
      h2.raw(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"
          + "x".repeat(100), StandardCharsets.US_ASCII)).flush();
      assertThat(h2.awaitClosed(5000)).isTrue();
    }
    harness.awaitClientConnections(0);
  }

  @Test
  void aStaticSiteFileIsServedOverHttp2(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    byte[] file = new byte[300_000]; // several stream windows
    new Random(3).nextBytes(file);
    java.nio.file.Files.write(dir.resolve("big.bin"), file);
    harness.route("localhost", new dev.pier.model.Route("site", dev.pier.model.SplitBy.RANDOM,
        List.of(dev.pier.model.VersionRoute.serving(3, 100, dev.pier.model.StaticSite.plain(dir)))));
    HttpResponse<byte[]> response = client.send(get("/big.bin"),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(file);
    assertThat(harness.log.next().bytes()).isEqualTo(file.length);
  }

  @Test
  void aClientThatStopsReadingStopsTheRouterReadingTheApp() throws Exception {
    java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
    long total = 200L * 1024 * 1024;
    com.sun.net.httpserver.HttpServer big = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 10);
    big.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, 0); // chunked
      byte[] chunk = new byte[64 * 1024];
      try (var out = exchange.getResponseBody()) {
        for (long n = 0; n < total; n += chunk.length) {
          out.write(chunk);
          written.addAndGet(chunk.length);
        }
      } catch (java.io.IOException gone) {
        // the router closed the connection at the end of the test
      }
    });
    big.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    big.start();
    try (RawH2Client h2 = new RawH2Client(tlsSocket("h2"))) {
      harness.route("localhost", "big", new dev.pier.model.Backend("big.1", "127.0.0.1",
          big.getAddress().getPort()));
      h2.preface().headers(1, request("GET", "/"), true).flush(); // never a WINDOW_UPDATE
      assertThat(h2.await(f -> f.type().equals("HEADERS") && f.stream() == 1, 5000)).isNotNull();
      long before;
      long after = written.get();
      do { // until the app's writes stall: kernel buffers full, the router reads no more
        before = after;
        Thread.sleep(300);
        after = written.get();
      } while (after != before);
      assertThat(after).isLessThan(32L * 1024 * 1024); // of 200 MiB: nothing piles up in the router
      h2.await(f -> false, 500); // reads whatever the router sent meanwhile
      long data = h2.frames().stream().filter(f -> f.type().startsWith("DATA"))
          .mapToLong(RawH2Client.Frame::length).sum();
      assertThat(data).isLessThanOrEqualTo(65_535); // the client's window
    } finally {
      big.stop(0);
    }
  }

  @Test
  void h2cUpgradeOnThePlainPortServesTheRequestOverHttp2() throws Exception {
    try (HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
      URI uri = URI.create("http://localhost:" + harness.port() + "/");
      HttpResponse<String> first = plain.send(HttpRequest.newBuilder(uri).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(first.body()).startsWith("web.1\n").contains("x-forwarded-proto: http\n")
          .doesNotContain("http2-settings").doesNotContain("x-http2-");
      HttpResponse<String> second = plain.send(HttpRequest.newBuilder(uri.resolve("/echo"))
          .POST(HttpRequest.BodyPublishers.ofString("ping")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(second.body()).isEqualTo("ping");
      assertThat(harness.router.clientConnections()).isEqualTo(1);
    }
  }

  @Test
  void anH2cUpgradeThatCannotBeDoneIsServedAsHttp11() throws Exception {
    try (RawClient raw = new RawClient(harness.port())) {
      RawClient.Response response = raw.get("localhost", "/", "Upgrade: h2c", "Connection: Upgrade");
      assertThat(response.head().status()).isEqualTo(200);
      assertThat(new String(response.body(), StandardCharsets.UTF_8)).startsWith("web.1\n")
          .doesNotContain("upgrade");
      // the connection stays HTTP/1.1 and carries the next request
      assertThat(raw.get("localhost", "/").head().status()).isEqualTo(200);
    }
  }

  @Test
  void anH2cUpgradeWithALargeBodyIsServedAsHttp11WithTheBodyIntact() throws Exception {
    byte[] body = new byte[100 * 1024]; // over what an upgrade would have to buffer
    new Random(7).nextBytes(body);
    try (RawClient raw = new RawClient(harness.port())) {
      raw.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + body.length
          + "\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
          + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
      raw.out().write(body);
      raw.out().flush();
      RawClient.Response response = raw.readResponse();
      assertThat(response.head().version()).isEqualTo("HTTP/1.1");
      assertThat(response.head().status()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(body);
      assertThat(raw.get("localhost", "/").head().status()).isEqualTo(200); // still open, HTTP/1.1
    }
  }

  @Test
  void h2cWithPriorKnowledgeOnThePlainPort() throws Exception {
    try (RawH2Client h2 = new RawH2Client(new Socket("127.0.0.1", harness.port()))) {
      Http2Headers post = request("POST", "/echo").scheme("http");
      post.setInt("content-length", 5);
      h2.preface().headers(1, post, false).data(1, "hello".getBytes(), true).flush();
      assertThat(h2.await(f -> f.type().equals("HEADERS") && f.stream() == 1, 5000).status())
          .isEqualTo("200");
      assertThat(h2.await(f -> f.type().startsWith("DATA") && f.length() == 5, 5000)).isNotNull();
    }
  }

  @Test
  void aWebSocketOverTlsStillWorksForClientsOfferingOnlyHttp11() throws Exception {
    try (WebSocketEchoBackend chat = new WebSocketEchoBackend("chat.1")) {
      harness.route("localhost", "chat", chat.backend());
      SSLSocket socket = tlsSocket("http/1.1");
      assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
      try (WebSocketClient ws = new WebSocketClient(socket)) {
        assertThat(ws.handshake("localhost").status()).isEqualTo(101);
        ws.sendText("hello over TLS");
        assertThat(ws.readFrame().text()).isEqualTo("hello over TLS");
      }
    }
  }

  @Test
  void aConnectionIsClosedForIdlenessOnlyWhileNoStreamIsOpen() throws Exception {
    tlsSocket("h2").close(); // TLS warmed up: the first handshake of a JVM can take a second
    harness.close();
    harness = new RouterHarness(new RouterConfig("127.0.0.1", 0, java.time.Duration.ofSeconds(2),
        java.time.Duration.ofSeconds(10), java.time.Duration.ofMillis(1000)));
    harness.router.startTls(0, new dev.pier.router.tls.AppCertificates(
        new PierCaCertificates(CA, "localhost")));
    harness.route("localhost", "hello", web.backend());
    try (RawH2Client h2 = new RawH2Client(tlsSocket("h2"))) {
      h2.preface().headers(1, request("GET", "/hold"), true).flush();
      web.awaitHeld();
      // Over two idle timeouts with a stream waiting for its answer: the connection stays.
      assertThat(h2.await(f -> f.type().equals("GOAWAY"), 2_500)).isNull();
      web.releaseHeld();
      assertThat(h2.await(f -> f.type().equals("DATA_END") && f.stream() == 1, 5000)).isNotNull();
      // No stream open now: closed after the idle timeout, GOAWAY first.
      RawH2Client.Frame goAway = h2.await(f -> f.type().equals("GOAWAY"), 5000);
      assertThat(goAway).isNotNull();
      assertThat(goAway.code()).isZero();
      assertThat(h2.awaitClosed(5000)).isTrue();
    }
  }

  @Test
  void aConnectionThatOnlyPingsIsClosedAtTheHeadTimeout() throws Exception {
    harness.close(); // idle timeout 10 s, head timeout 1 s
    harness = new RouterHarness(RouterHarness.FAST.withClientLimits(
        new ClientLimits(java.time.Duration.ofSeconds(1), 10_000, 256)));
    try (RawH2Client h2 = new RawH2Client(new Socket("127.0.0.1", harness.port()))) {
      h2.preface();
      long start = System.nanoTime();
      boolean closed = false;
      while (!closed && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(6)) {
        try {
          h2.raw(Unpooled.wrappedBuffer(new byte[] {0, 0, 8, 6, 0, 0, 0, 0, 0,
              1, 2, 3, 4, 5, 6, 7, 8})).flush(); // PING
        } catch (java.io.IOException gone) {
          break;
        }
        closed = h2.awaitClosed(200);
      }
      assertThat(System.nanoTime() - start).as("closed well before the 10 s idle timeout")
          .isLessThan(TimeUnit.SECONDS.toNanos(6));
      assertThat(h2.frames().stream().anyMatch(f -> f.type().equals("GOAWAY"))).isTrue();
    }
    harness.awaitClientConnections(0);
  }

  @Test
  void closingTheRouterSendsGoAway() throws Exception {
    try (RawH2Client h2 = new RawH2Client(tlsSocket("h2"))) {
      h2.preface().headers(1, request("GET", "/"), true).flush();
      assertThat(h2.await(f -> f.type().equals("DATA_END") && f.stream() == 1, 5000)).isNotNull();
      harness.router.close();
      RawH2Client.Frame goAway = h2.await(f -> f.type().equals("GOAWAY"), 5000);
      assertThat(goAway).isNotNull();
      assertThat(goAway.code()).isZero();
      assertThat(goAway.stream()).isEqualTo(1);
    }
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(tls(path)).build();
  }

  private URI tls(String path) {
    return URI.create("https://localhost:" + harness.router.tlsPort() + path);
  }

  private Http2Headers request(String method, String path) {
    return new DefaultHttp2Headers().method(method).path(path).scheme("https")
        .authority("localhost:" + harness.router.tlsPort());
  }

  /** A request head the client side does not validate (to send malformed ones). */
  private Http2Headers unchecked(String method, String path) {
    return new DefaultHttp2Headers(false).method(method).path(path).scheme("https")
        .authority("localhost:" + harness.router.tlsPort());
  }

  private SSLSocket tlsSocket(String alpn) throws Exception {
    int port = harness.router.tlsPort();
    SSLSocket s = (SSLSocket) trustingCa().getSocketFactory()
        .createSocket(new Socket("127.0.0.1", port), "localhost", port, true);
    SSLParameters params = s.getSSLParameters();
    params.setApplicationProtocols(new String[] {alpn});
    s.setSSLParameters(params);
    s.setSoTimeout(20_000); // a cold JVM's first handshake on a busy machine can take seconds
    s.startHandshake();
    s.setSoTimeout(5000);
    assertThat(s.getApplicationProtocol()).isEqualTo(alpn);
    return s;
  }

  private static SSLContext trustingCa() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("pier", CA.certificate());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
