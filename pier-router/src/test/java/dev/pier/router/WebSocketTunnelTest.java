package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.Backend;
import dev.pier.model.Route;
import dev.pier.model.SplitBy;
import dev.pier.model.VersionRoute;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WebSockets (HTTP/1.1 Upgrade) through the router, with a real echo instance and client. */
class WebSocketTunnelTest {
  private static final String HOST = "chat.localhost";

  private WebSocketEchoBackend app;
  private RouterHarness harness;

  @BeforeEach
  void start() throws Exception {
    app = new WebSocketEchoBackend("web.1");
    harness = new RouterHarness();
    harness.route(HOST, "chat", app.backend());
  }

  @AfterEach
  void stop() {
    harness.close();
    app.close();
  }

  private static void assertSwitched(RawClient.Head head, WebSocketClient client) {
    assertThat(head.status()).isEqualTo(101);
    assertThat(head.header("upgrade")).isEqualToIgnoringCase("websocket");
    assertThat(head.header("connection")).isEqualToIgnoringCase("upgrade");
    assertThat(head.header("sec-websocket-accept")).isEqualTo(WsFrames.acceptFor(client.key));
  }

  @Test
  void messagesEchoThroughTheTunnelBothWays() throws Exception {
    try (WebSocketClient client = new WebSocketClient(harness.port())) {
      RawClient.Head head = client.handshake(HOST);
      assertSwitched(head, client);
      assertThat(head.header("x-request-id")).isNotBlank();

      Map<String, String> seen = app.nextUpgrade();
      assertThat(seen.get("connection")).isEqualToIgnoringCase("upgrade");
      assertThat(seen.get("upgrade")).isEqualTo("websocket");
      assertThat(seen.get("sec-websocket-key")).isEqualTo(client.key);
      assertThat(seen.get("x-forwarded-for")).isEqualTo("127.0.0.1");
      assertThat(seen.get("x-request-id")).isEqualTo(head.header("x-request-id"));

      for (String message : List.of("hello", "", "ünïcödé", "x".repeat(70_000))) {
        client.sendText(message);
        WsFrames.Frame echo = client.readFrame();
        assertThat(echo.opcode()).isEqualTo(WsFrames.TEXT);
        assertThat(echo.text()).isEqualTo(message);
      }
    }
  }

  @Test
  void frameTheInstanceSendsInTheSameWriteAsIts101Arrives() throws Exception {
    try (WebSocketEchoBackend greeter = new WebSocketEchoBackend("web.2",
            WebSocketEchoBackend.Behaviour.greeting("welcome"));
        WebSocketClient client = new WebSocketClient(harness.port())) {
      harness.route(HOST, "chat", greeter.backend());
      assertSwitched(client.handshake(HOST), client);
      assertThat(client.readFrame().text()).isEqualTo("welcome");
      client.sendText("after greeting");
      assertThat(client.readFrame().text()).isEqualTo("after greeting");
    }
  }

  @Test
  void bytesTheClientSendsRightBehindItsHandshakeReachTheInstance() throws Exception {
    try (WebSocketClient client = new WebSocketClient(harness.port())) {
      assertSwitched(client.handshake(HOST, WsFrames.text("eager", true)), client);
      assertThat(client.readFrame().text()).isEqualTo("eager");
      client.sendText("then more");
      assertThat(client.readFrame().text()).isEqualTo("then more");
    }
  }

  @Test
  void megabyteMessageEchoesIntactThroughASlowReader() throws Exception {
    byte[] payload = new byte[1 << 20];
    ThreadLocalRandom.current().nextBytes(payload);
    try (WebSocketClient client = new WebSocketClient(harness.port(), 8192)) {
      assertSwitched(client.handshake(HOST), client);
      // Two messages: the echo of the first flows back while the second is still being sent,
      // so each direction must wait for the other side's reads without losing a byte.
      Thread sender = Thread.ofVirtual().start(() -> {
        try {
          client.sendBinary(payload);
          client.sendBinary(payload);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      for (int i = 0; i < 2; i++) {
        WsFrames.Frame echo = client.readFrame();
        assertThat(echo.opcode()).isEqualTo(WsFrames.BINARY);
        assertThat(echo.payload()).isEqualTo(payload);
        Thread.sleep(50); // read slowly: the router must hold back, not buffer without bound
      }
      sender.join(10_000);
      assertThat(harness.router.inFlight()).isEqualTo(1);
    }
  }

  @Test
  void instanceSendingFasterThanTheClientReadsIsHeldBackNotBuffered() throws Exception {
    try (WebSocketEchoBackend flooder = new WebSocketEchoBackend("web.2",
            WebSocketEchoBackend.Behaviour.FLOOD);
        WebSocketClient client = new WebSocketClient(harness.port(), 65536)) {
      harness.route(HOST, "chat", flooder.backend());
      assertSwitched(client.handshake(HOST), client);
      Thread.sleep(1000); // the client reads nothing: socket buffers fill, then the router waits
      long stalled = flooder.flooded();
      Thread.sleep(500);
      // Without back-pressure the router would take hundreds of MB/s into memory.
      assertThat(flooder.flooded() - stalled).as("sent while nobody read").isLessThan(1 << 20);
      assertThat(stalled).isLessThan(64L << 20);

      for (int n = 0; n < 100; n++) { // reading again lets the instance go on, intact and in order
        WsFrames.Frame frame = client.readFrame();
        assertThat(frame.payload()).hasSize(64 * 1024).containsOnly((byte) n);
      }
      assertThat(flooder.flooded()).isGreaterThan(stalled);
    }
  }

  @Test
  void openTunnelCountsInFlightAndClientCloseClosesTheInstanceSide() throws Exception {
    WebSocketClient client = new WebSocketClient(harness.port());
    assertSwitched(client.handshake(HOST), client);
    client.sendText("ping");
    assertThat(client.readFrame().text()).isEqualTo("ping");
    assertThat(harness.inFlight(app.backend())).isEqualTo(1);
    assertThat(app.awaitOpen(1)).isTrue();

    client.close();
    assertThat(app.awaitOpen(0)).as("instance side closed").isTrue();
    harness.awaitInFlight(0);
  }

  @Test
  void instanceClosingTheTunnelClosesTheClientAndReleasesInFlight() throws Exception {
    try (WebSocketClient client = new WebSocketClient(harness.port())) {
      assertSwitched(client.handshake(HOST), client);
      harness.awaitInFlight(1);
      assertThat(app.awaitOpen(1)).isTrue();

      app.closeConnections();
      assertThat(client.closedByPeer()).isTrue();
      harness.awaitInFlight(0);
    }
  }

  @Test
  void accessLogGetsExactlyOneEntryWithStatus101PerTunnel() throws Exception {
    try (WebSocketClient client = new WebSocketClient(harness.port())) {
      assertSwitched(client.handshake(HOST), client);
      AccessLogEntry entry = harness.log.next();
      assertThat(entry.status()).isEqualTo(101);
      assertThat(entry.error()).isNull();
      assertThat(entry.app()).isEqualTo("chat");
      assertThat(entry.instance()).isEqualTo("web.1");
      assertThat(entry.path()).isEqualTo("/chat");
      for (int i = 0; i < 5; i++) {
        client.sendText("m" + i);
        assertThat(client.readFrame().text()).isEqualTo("m" + i);
      }
    }
    harness.awaitInFlight(0);
    Thread.sleep(200);
    assertThat(harness.log.size()).as("no second entry when the tunnel closes").isZero();
  }

  @Test
  void answerOtherThan101IsProxiedAsPlainResponseAndTheConnectionStaysHttp() throws Exception {
    try (WebSocketEchoBackend refusing = new WebSocketEchoBackend("web.2",
            WebSocketEchoBackend.Behaviour.rejecting(426));
        WebSocketClient client = new WebSocketClient(harness.port())) {
      harness.route(HOST, "chat", refusing.backend());
      assertThat(client.get(HOST, "/before").text()).isEqualTo("plain web.2");
      assertThat(harness.log.next().status()).isEqualTo(200);

      RawClient.Head head = client.handshake(HOST);
      assertThat(head.status()).isEqualTo(426);
      assertThat(new String(client.readBody(head))).isEqualTo("no websockets here");
      assertThat(harness.log.next().status()).isEqualTo(426);

      RawClient.Response plain = client.get(HOST, "/after");
      assertThat(plain.status()).isEqualTo(200);
      assertThat(plain.text()).isEqualTo("plain web.2");
      // The upgrade request went on a new instance connection, closed after its answer; the
      // plain requests shared the pooled one.
      assertThat(refusing.accepted()).isEqualTo(2);
      assertThat(refusing.awaitOpen(1)).isTrue();
      harness.awaitInFlight(0);
    }
  }

  @Test
  void requestPipelinedBehindARefusedUpgradeIsServedAfterIt() throws Exception {
    try (WebSocketEchoBackend refusing = new WebSocketEchoBackend("web.2",
            WebSocketEchoBackend.Behaviour.rejecting(426));
        WebSocketClient client = new WebSocketClient(harness.port())) {
      harness.route(HOST, "chat", refusing.backend());
      byte[] next = ("GET /next HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1);
      RawClient.Head head = client.handshake(HOST, next); // both in one write
      assertThat(head.status()).isEqualTo(426);
      client.readBody(head);
      RawClient.Response pipelined = client.readResponse();
      assertThat(pipelined.status()).isEqualTo(200);
      assertThat(pipelined.text()).isEqualTo("plain web.2");
      assertThat(harness.log.next().path()).isEqualTo("/chat");
      assertThat(harness.log.next().path()).isEqualTo("/next");
    }
  }

  @Test
  void anUpgradeRequestPipelinedBehindAnotherIsProxiedAsPlainHttp() throws Exception {
    try (KeepAliveBackend plain = new KeepAliveBackend("web.3"); RawClient client = new RawClient(harness.port())) {
      harness.route(HOST, "chat", plain.backend());
      // The third request arrives in two parts: the decoder has parsed its request line meanwhile.
      client.send("GET /first HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n"
          + "GET /socket HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
          + "GET /third HTTP/1.1\r\nHo");
      Thread.sleep(300);
      client.send("st: " + HOST + "\r\n\r\n");
      assertThat(client.readResponse().status()).isEqualTo(200);
      assertThat(client.readResponse().status()).isEqualTo(200); // not a tunnel
      assertThat(client.readResponse().status()).isEqualTo(200); // the third, whole
      assertThat(client.get(HOST, "/after").status()).isEqualTo(200); // still plain HTTP
      harness.awaitInFlight(0);
    }
  }

  @Test
  void upgradeRequestGoesOnANewInstanceConnectionEvenWhenOneIsPooled() throws Exception {
    try (WebSocketClient client = new WebSocketClient(harness.port())) {
      assertThat(client.get(HOST, "/").text()).isEqualTo("plain web.1"); // pools its connection
      assertThat(app.accepted()).isEqualTo(1);
      assertSwitched(client.handshake(HOST), client);
      assertThat(app.accepted()).isEqualTo(2);
      client.sendText("fresh");
      assertThat(client.readFrame().text()).isEqualTo("fresh");
    }
  }

  @Test
  void upgradeToAppWithoutInstancesGetsTheUsual503Page() throws Exception {
    harness.route(HOST, "chat");
    try (WebSocketClient client = new WebSocketClient(harness.port())) {
      RawClient.Head head = client.handshake(HOST);
      assertThat(head.status()).isEqualTo(503);
      assertThat(head.header("x-router-error")).isEqualTo("no_instances");
    }
  }

  @Test
  void upgradeToUnknownHostGets404AndToRefusingInstance502() throws Exception {
    harness.route("down.localhost", "down", RouterHarness.refusing("web.1"));
    try (WebSocketClient client = new WebSocketClient(harness.port())) {
      RawClient.Head head = client.handshake("nope.localhost");
      assertThat(head.status()).isEqualTo(404);
      assertThat(head.header("x-router-error")).isEqualTo("no_such_app");
    }
    try (WebSocketClient client = new WebSocketClient(harness.port())) {
      RawClient.Head head = client.handshake("down.localhost");
      assertThat(head.status()).isEqualTo(502);
      assertThat(head.header("x-router-error")).isEqualTo("connect_failed");
    }
    harness.awaitInFlight(0);
  }

  @Test
  void newClientGetsItsSplitCookieOnThe101() throws Exception {
    harness.route(HOST, new Route("chat", SplitBy.COOKIE, List.of(
        new VersionRoute(1, 100, List.of(app.backend())))));
    try (WebSocketClient client = new WebSocketClient(harness.port())) {
      RawClient.Head head = client.handshake(HOST);
      assertSwitched(head, client);
      assertThat(head.header("set-cookie")).startsWith("pier_split=");
    }
    try (WebSocketClient client = new WebSocketClient(harness.port())) {
      RawClient.Head head = client.handshake(HOST, "Cookie: pier_split=42");
      assertSwitched(head, client);
      assertThat(head.header("set-cookie")).isNull();
    }
  }

  @Test
  void tunnelOutlivesTheKeepAliveIdleTimeoutButNotItsOwn() throws Exception {
    harness.close();
    harness = new RouterHarness(RouterHarness.FAST
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(300))
        .withTunnelIdleTimeout(Duration.ofMillis(1500)));
    harness.route(HOST, "chat", app.backend());
    try (WebSocketClient client = new WebSocketClient(harness.port())) {
      assertSwitched(client.handshake(HOST), client);
      Thread.sleep(700); // more than twice the keep-alive idle timeout
      client.sendText("still here");
      assertThat(client.readFrame().text()).isEqualTo("still here");

      long idleStart = System.nanoTime();
      assertThat(client.closedByPeer()).isTrue();
      long idleMillis = (System.nanoTime() - idleStart) / 1_000_000;
      assertThat(idleMillis).isBetween(1000L, 4000L);
      harness.awaitInFlight(0);
      assertThat(app.awaitOpen(0)).isTrue();
    }
  }

  @Test
  void instanceThatNeverAnswersTheHandshakeGetsTheUsual504() throws Exception {
    harness.close();
    harness = new RouterHarness(RouterHarness.FAST
        .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(10)));
    try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        WebSocketClient client = new WebSocketClient(harness.port())) {
      harness.route(HOST, "chat", new Backend("web.9", "127.0.0.1", silent.getLocalPort()));
      RawClient.Head head = client.handshake(HOST); // accepted by the kernel, never answered
      assertThat(head.status()).isEqualTo(504);
      assertThat(head.header("x-router-error")).isEqualTo("response_timeout");
      harness.awaitInFlight(0);
    }
  }

  @Test
  void stoppingTheRouterClosesOpenTunnelsAndReleasesThem() throws Exception {
    try (WebSocketClient client = new WebSocketClient(harness.port())) {
      assertSwitched(client.handshake(HOST), client);
      harness.awaitInFlight(1);
      harness.close();
      assertThat(harness.router.inFlight()).isZero();
      assertThat(client.closedByPeer()).isTrue();
      assertThat(app.awaitOpen(0)).isTrue();
    }
  }
}
