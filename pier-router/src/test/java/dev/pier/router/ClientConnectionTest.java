package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.Backend;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the router treats client connections: keep-alive, HTTP/1.0, pipelining, bad input. */
class ClientConnectionTest {
  private TestBackend web1;
  private RouterHarness harness;

  @BeforeEach
  void start() throws Exception {
    web1 = new TestBackend("web.1");
    harness = new RouterHarness();
    harness.route("hello.localhost", "hello", web1.backend());
  }

  @AfterEach
  void stop() {
    harness.close();
    web1.close();
  }

  @Test
  void twoRequestsShareOneKeptAliveClientConnection() throws Exception {
    try (RawClient client = harness.client()) {
      RawClient.Response first = client.get("hello.localhost", "/one");
      RawClient.Response second = client.get("hello.localhost", "/two");
      assertThat(first.status()).isEqualTo(200);
      assertThat(second.status()).isEqualTo(200);
      assertThat(first.header("Connection")).isNull();
    }
    assertThat(harness.log.next().path()).isEqualTo("/one");
    assertThat(harness.log.next().path()).isEqualTo("/two");
  }

  @Test
  void aPipelinedExpectContinueRequestGetsItsContinueOnlyAfterTheResponseAheadOfIt() throws Exception {
    try (RawClient client = harness.client()) {
      client.send("GET /download?bytes=3000000 HTTP/1.1\r\nHost: hello.localhost\r\n\r\n");
      RawClient.Head first = client.readHead(); // its body is still coming
      client.send("POST /echo HTTP/1.1\r\nHost: hello.localhost\r\nExpect: 100-continue\r\n"
          + "Content-Length: 5\r\n\r\n");
      Thread.sleep(200); // the router has read the second head while the first body streams
      java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
      client.readBody(first, body);
      assertThat(first.status()).isEqualTo(200);
      assertThat(body.size()).as("the first response whole, no 100 inside it").isEqualTo(3_000_000);
      assertThat(client.readHead().status()).as("then the second request's 100").isEqualTo(100);
      client.send("hello");
      RawClient.Response echo = client.readResponse();
      assertThat(echo.status()).isEqualTo(200);
      assertThat(new String(echo.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }
  }

  @Test
  void anH2cUpgradePipelinedBehindAPendingResponseIsServedAsHttp11InOrder() throws Exception {
    try (RawClient client = harness.client()) {
      client.send("GET /hold HTTP/1.1\r\nHost: hello.localhost\r\n\r\n");
      web1.awaitHeld();
      client.send("GET /two HTTP/1.1\r\nHost: hello.localhost\r\nConnection: Upgrade, HTTP2-Settings\r\n"
          + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
      Thread.sleep(200);
      web1.releaseHeld();
      RawClient.Response held = client.readResponse();
      assertThat(held.status()).as("the held response first, not a 101").isEqualTo(200);
      RawClient.Response second = client.readResponse();
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.head().version()).isEqualTo("HTTP/1.1");
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (harness.router.inFlight() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
    assertThat(harness.router.inFlight()).as("no exchange left counted").isZero();
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    try (RawClient client = harness.client()) {
      client.send("GET /a HTTP/1.1\r\nHost: hello.localhost\r\n\r\n"
          + "GET /b HTTP/1.1\r\nHost: nope.localhost\r\n\r\n"
          + "GET /c HTTP/1.1\r\nHost: hello.localhost\r\nX-Request-Id: third-request-0123456789\r\n\r\n");
      assertThat(client.readResponse().status()).isEqualTo(200);
      assertThat(client.readResponse().status()).isEqualTo(404);
      RawClient.Response third = client.readResponse();
      assertThat(third.status()).isEqualTo(200);
      assertThat(third.seen("X-Request-Id")).isEqualTo("third-request-0123456789");
    }
  }

  /**
   * On epoll the end of a client's input is seen at once (EPOLLRDHUP), with or without a read
   * pending: a half-close while the response is pending counts as the client leaving, as it did
   * before the router kept a read pending on kept-alive connections.
   */
  @Test
  void clientThatHalfClosesWhileItsResponseIsPendingIsTreatedAsGone() throws Exception {
    try (RawClient client = harness.client()) {
      client.send("GET /hold HTTP/1.1\r\nHost: hello.localhost\r\n\r\n");
      web1.awaitHeld();
      client.socket.shutdownOutput();
      assertThat(client.closedByPeer()).isTrue();
    }
    assertThat(harness.log.next().error()).isEqualTo(RouterError.CLIENT_CLOSED);
  }

  @Test
  void http10ClientIsServedAndDisconnected() throws Exception {
    try (RawClient client = harness.client()) {
      client.send("GET / HTTP/1.0\r\nHost: hello.localhost\r\n\r\n");
      RawClient.Response response = client.readResponse();
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.instance()).isEqualTo("web.1");
      assertThat(client.closedByPeer()).isTrue();
    }
  }

  @Test
  void http10KeepAliveClientKeepsItsConnection() throws Exception {
    try (RawClient client = harness.client()) {
      client.send("GET / HTTP/1.0\r\nHost: hello.localhost\r\nConnection: keep-alive\r\n\r\n");
      RawClient.Response first = client.readResponse();
      assertThat(first.header("Connection")).isEqualToIgnoringCase("keep-alive");
      client.send("GET / HTTP/1.0\r\nHost: hello.localhost\r\n\r\n");
      assertThat(client.readResponse().status()).isEqualTo(200);
      assertThat(client.closedByPeer()).isTrue();
    }
  }

  @Test
  void http10ClientGetsAChunkedResponseAsPlainBodyEndedByClose() throws Exception {
    try (RawClient client = harness.client()) {
      client.send("GET /download?bytes=100000 HTTP/1.0\r\nHost: hello.localhost\r\n\r\n");
      RawClient.Head head = client.readHead();
      assertThat(head.header("Transfer-Encoding")).isNull();
      PatternBytes.Digest body = new PatternBytes.Digest();
      client.readBody(head, body);
      assertThat(body.count).isEqualTo(100_000);
      assertThat(body.hex()).isEqualTo(PatternBytes.sha256(100_000));
    }
  }

  @Test
  void headRequestGetsHeadersOnlyAndConnectionStaysUsable() throws Exception {
    try (RawClient client = harness.client()) {
      client.send("HEAD / HTTP/1.1\r\nHost: hello.localhost\r\n\r\n");
      RawClient.Head head = client.readHead();
      assertThat(head.status()).isEqualTo(200);
      assertThat(client.get("hello.localhost", "/").instance()).isEqualTo("web.1");
    }
  }

  @Test
  void expect100ContinueIsAnsweredAndTheBodyForwarded() throws Exception {
    try (RawClient client = harness.client()) {
      client.send("POST /echo HTTP/1.1\r\nHost: hello.localhost\r\nContent-Length: 5\r\n"
          + "Expect: 100-continue\r\n\r\n");
      assertThat(client.readHead().status()).isEqualTo(100);
      client.send("hello");
      RawClient.Response response = client.readResponse();
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.text()).isEqualTo("hello");
    }
  }

  @Test
  void chunkedUploadIsForwardedAsChunks() throws Exception {
    try (RawClient client = harness.client()) {
      client.send("POST /echo HTTP/1.1\r\nHost: hello.localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
      RawClient.Response response = client.readResponse();
      assertThat(response.text()).isEqualTo("hello world");
      assertThat(client.get("hello.localhost", "/").status()).isEqualTo(200);
    }
  }

  @Test
  void closeDelimitedAppResponseIsRechunkedSoTheClientConnectionSurvives() throws Exception {
    try (ServerSocket app = new ServerSocket(0)) {
      Thread server = Thread.ofVirtual().start(() -> {
        try (Socket s = app.accept()) {
          s.getInputStream().read(new byte[4096]);
          s.getOutputStream().write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nold style body"
              .getBytes(StandardCharsets.US_ASCII));
        } catch (IOException ignored) {
          // the client assertion reports it
        }
      });
      harness.route("old.localhost", "old",
          new Backend("web.1", "127.0.0.1", app.getLocalPort()));
      try (RawClient client = harness.client()) {
        RawClient.Response response = client.get("old.localhost", "/");
        assertThat(response.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(response.text()).isEqualTo("old style body");
        assertThat(client.get("hello.localhost", "/").status()).isEqualTo(200);
      }
      server.join(5000);
    }
  }

  @Test
  void malformedRequestLineGets400AndTheRouterKeepsServing() throws Exception {
    try (RawClient client = harness.client()) {
      client.send("THIS IS NOT HTTP\r\n\r\n");
      RawClient.Response response = client.readResponse();
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.header("X-Router-Error")).isEqualTo("bad_request");
      assertThat(client.closedByPeer()).isTrue();
    }
    try (RawClient client = harness.client()) {
      assertThat(client.get("hello.localhost", "/").status()).isEqualTo(200);
    }
  }

  @Test
  void requestWithoutHostGets400() throws Exception {
    try (RawClient client = harness.client()) {
      client.send("GET / HTTP/1.1\r\n\r\n");
      RawClient.Response response = client.readResponse();
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.header("X-Router-Error")).isEqualTo("bad_request");
    }
  }

  @Test
  void smallBodyOfARejectedRequestIsSkippedAndTheConnectionReused() throws Exception {
    try (RawClient client = harness.client()) {
      client.send("POST / HTTP/1.1\r\nHost: nope.localhost\r\nContent-Length: 11\r\n\r\nhello world");
      assertThat(client.readResponse().status()).isEqualTo(404);
      assertThat(client.get("hello.localhost", "/").status()).isEqualTo(200);
    }
  }

  @Test
  void idleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    harness.close();
    harness = new RouterHarness(RouterHarness.FAST.withTimeouts(
        Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(300)));
    harness.route("hello.localhost", "hello", web1.backend());
    try (RawClient client = harness.client()) {
      assertThat(client.get("hello.localhost", "/").status()).isEqualTo(200);
      long start = System.nanoTime();
      assertThat(client.closedByPeer()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void clientStallingMidUploadGets408AfterTheIdleTimeout() throws Exception {
    harness.close();
    harness = new RouterHarness(RouterHarness.FAST.withTimeouts(
        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(300)));
    harness.route("hello.localhost", "hello", web1.backend());
    try (RawClient client = harness.client()) {
      // the info app reads the whole body before answering, so it is still waiting
      client.send("POST / HTTP/1.1\r\nHost: hello.localhost\r\nContent-Length: 100\r\n\r\n"
          + "only ten..");
      RawClient.Response response = client.readResponse();
      assertThat(response.status()).isEqualTo(408);
      assertThat(response.header("X-Router-Error")).isEqualTo("idle_timeout");
      assertThat(client.closedByPeer()).isTrue();
    }
    assertThat(harness.log.next().error()).isEqualTo(RouterError.IDLE_TIMEOUT);
  }
}
