package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.Backend;
import dev.pier.model.Route;
import dev.pier.model.RouteLimits;
import dev.pier.model.SplitBy;
import dev.pier.model.VersionRoute;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Per-app router limits ({@link RouteLimits}) on a router with real instances. */
class RouterLimitsTest {
  private TestBackend slow;
  private EchoBackend echo;
  private RouterHarness harness;

  @BeforeEach
  void start() throws Exception {
    slow = new TestBackend("web.1");
    echo = new EchoBackend("web.1", EchoBackend.Behaviour.NORMAL);
    harness = new RouterHarness(RouterHarness.FAST.withTimeouts(
        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10)));
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
    slow.close();
    echo.close();
  }

  private static Route route(String app, Backend backend, RouteLimits limits) {
    return new Route(app, SplitBy.RANDOM, List.of(new VersionRoute(0, 100, List.of(backend))),
        null, limits);
  }

  private static RouteLimits maxBody(long bytes) {
    return new RouteLimits(null, null, null, bytes);
  }

  @Test
  void appsOwnRequestTimeoutGives504WhileAnotherAppKeepsTheRouterDefault() throws Exception {
    harness.route("quick.localhost", route("quick", slow.backend(),
        new RouteLimits(Duration.ofMillis(300), null, null, 0)));
    harness.route("patient.localhost", route("patient", slow.backend(), RouteLimits.DEFAULT));
    try (RawClient client = harness.client()) {
      long start = System.nanoTime();
      RawClient.Response response = client.get("quick.localhost", "/hold");
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(response.status()).isEqualTo(504);
      assertThat(response.header("X-Router-Error")).isEqualTo("response_timeout");
      assertThat(took).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
    }
    slow.awaitHeld(); // the timed-out request reached the app
    slow.releaseHeld();
    try (RawClient client = harness.client()) {
      client.send("GET /hold HTTP/1.1\r\nHost: patient.localhost\r\n\r\n");
      slow.awaitHeld();
      Thread.sleep(800); // well past the other app's 300 ms: this app keeps the router's 5 s
      slow.releaseHeld();
      assertThat(client.readResponse().status()).isEqualTo(200);
    }
  }

  @Test
  void declaredBodyOverTheAppsLimitGets413AndNeverReachesTheApp() throws Exception {
    harness.route("small.localhost", route("small", echo.backend(), maxBody(1000)));
    try (RawClient client = harness.client()) {
      client.send("POST / HTTP/1.1\r\nHost: small.localhost\r\nContent-Length: 5000\r\n\r\n");
      RawClient.Response response = client.readResponse();
      assertThat(response.status()).isEqualTo(413);
      assertThat(response.header("X-Router-Error")).isEqualTo("body_too_large");
      assertThat(client.closedByPeer()).isTrue();
    }
    assertThat(harness.log.next().error()).isEqualTo(RouterError.BODY_TOO_LARGE);
    assertThat(echo.accepted()).isZero();
    harness.awaitClientConnections(0);
  }

  @Test
  void expectContinueWithABodyOverTheLimitGets413InsteadOf100() throws Exception {
    harness.route("small.localhost", route("small", echo.backend(), maxBody(1000)));
    try (RawClient client = harness.client()) {
      client.send("POST / HTTP/1.1\r\nHost: small.localhost\r\nContent-Length: 5000\r\n"
          + "Expect: 100-continue\r\n\r\n");
      RawClient.Response response = client.readResponse(); // the first answer: no 100 before it
      assertThat(response.status()).isEqualTo(413);
      assertThat(client.closedByPeer()).isTrue();
    }
    try (RawClient client = harness.client()) {
      client.send("POST / HTTP/1.1\r\nHost: small.localhost\r\nContent-Length: 10\r\n"
          + "Expect: 100-continue\r\n\r\n");
      assertThat(client.readHead().status()).isEqualTo(100);
      client.send("0123456789");
      assertThat(client.readResponse().text()).isEqualTo("0123456789");
    }
    assertThat(echo.accepted()).isEqualTo(1);
  }

  @Test
  void bodyOfExactlyTheLimitIsForwarded() throws Exception {
    harness.route("small.localhost", route("small", echo.backend(), maxBody(1000)));
    try (RawClient client = harness.client()) {
      client.send("POST / HTTP/1.1\r\nHost: small.localhost\r\nContent-Length: 1000\r\n\r\n"
          + "x".repeat(1000));
      RawClient.Response response = client.readResponse();
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).hasSize(1000);
    }
  }

  @Test
  void chunkedBodyGrowingPastTheLimitGets413AndTheAppNeverGetsAWholeRequest() throws Exception {
    harness.route("small.localhost", route("small", echo.backend(), maxBody(1000)));
    harness.route("big.localhost", route("big", echo.backend(), RouteLimits.DEFAULT));
    String chunk = Integer.toHexString(600) + "\r\n" + "y".repeat(600) + "\r\n";
    try (RawClient client = harness.client()) {
      client.send("POST / HTTP/1.1\r\nHost: small.localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
          + chunk + chunk + chunk + "0\r\n\r\n");
      RawClient.Response response = client.readResponse();
      assertThat(response.status()).isEqualTo(413);
      assertThat(response.header("X-Router-Error")).isEqualTo("body_too_large");
      assertThat(client.closedByPeer()).isTrue();
    }
    assertThat(echo.received()).isEmpty();
    try (RawClient client = harness.client()) { // no limit of its own: any size passes
      client.send("POST / HTTP/1.1\r\nHost: big.localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
          + chunk + chunk + chunk + "0\r\n\r\n");
      assertThat(client.readResponse().body()).hasSize(1800);
    }
  }

  @Test
  void appsOwnIdleTimeoutClosesItsKeptAliveConnections() throws Exception {
    harness.route("brief.localhost", route("brief", slow.backend(),
        new RouteLimits(null, Duration.ofMillis(300), null, 0)));
    try (RawClient client = harness.client()) {
      assertThat(client.get("brief.localhost", "/").status()).isEqualTo(200);
      long start = System.nanoTime();
      assertThat(client.closedByPeer()).isTrue(); // the router's own idle timeout is 10 s
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void appsOwnTunnelIdleTimeoutClosesItsWebSockets() throws Exception {
    try (WebSocketEchoBackend chat = new WebSocketEchoBackend("web.1")) {
      harness.route("chat.localhost", route("chat", chat.backend(),
          new RouteLimits(null, null, Duration.ofMillis(400), 0)));
      try (WebSocketClient client = new WebSocketClient(harness.port())) {
        assertThat(client.handshake("chat.localhost").status()).isEqualTo(101);
        long start = System.nanoTime(); // the router's own tunnel idle timeout is 5 minutes
        assertThat(client.closedByPeer()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      }
      harness.awaitInFlight(0);
    }
  }

  @Test
  void expectContinueWithAnUnreadableContentLengthGets400() throws Exception {
    harness.route("small.localhost", route("small", echo.backend(), maxBody(1000)));
    for (String length : List.of("abc", "4, 5")) {
      try (RawClient client = harness.client()) {
        client.send("POST / HTTP/1.1\r\nHost: small.localhost\r\nContent-Length: " + length + "\r\n"
            + "Expect: 100-continue\r\n\r\n");
        RawClient.Response response = client.readResponse();
        assertThat(response.status()).as(length).isEqualTo(400);
      }
    }
    assertThat(echo.accepted()).isZero();
  }

  @Test
  void aRequestForNoAppPutsTheRoutersIdleTimeoutBackOnAKeptAliveConnection() throws Exception {
    try (RouterHarness quick = new RouterHarness(RouterHarness.FAST.withTimeouts(
        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(400)))) {
      quick.route("lazy.localhost", route("lazy", slow.backend(),
          new RouteLimits(null, Duration.ofHours(1), null, 0)));
      try (RawClient client = quick.client()) {
        assertThat(client.get("lazy.localhost", "/").status()).isEqualTo(200);
        assertThat(client.get("nobody.localhost", "/").status()).isEqualTo(404);
        long start = System.nanoTime();
        assertThat(client.closedByPeer()).as("the router's 400 ms, not the lazy app's hour").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      }
    }
  }

  @Test
  void aClientStillUploadingPastTheLimitReadsThe413() throws Exception {
    harness.route("small.localhost", route("small", echo.backend(), maxBody(1000)));
    try (RawClient client = harness.client()) {
      int size = 512 * 1024;
      client.send("POST / HTTP/1.1\r\nHost: small.localhost\r\nContent-Length: " + size + "\r\n\r\n");
      byte[] block = new byte[8192];
      // an upload paced like a real one: still going on well after the 413 was sent
      for (int sent = 0; sent < size; sent += block.length) {
        client.out().write(block);
        client.out().flush();
        Thread.sleep(8);
      }
      RawClient.Response response = client.readResponse();
      assertThat(response.status()).isEqualTo(413);
      assertThat(client.closedCleanly()).as("a FIN, not a reset").isTrue();
    }
    assertThat(echo.accepted()).isZero();
    harness.awaitClientConnections(0);
  }
}
