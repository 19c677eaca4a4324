package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.Backend;
import dev.pier.model.Route;
import dev.pier.model.SplitBy;
import dev.pier.model.VersionRoute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scale from zero: requests for a version that is starting or asleep ({@link VersionRoute#hold()})
 * wait in the router until a published table gives the version an instance, within bounds.
 */
class HoldTest {
  private static final String HOST = "hello.localhost";
  private static final String GET = "GET / HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n";

  private final RecordingWaker waker = new RecordingWaker();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private RouterHarness harness;

  private RouterHarness start(HoldLimits limits) throws Exception {
    harness = new RouterHarness(RouterHarness.FAST.withHoldLimits(limits), waker);
    return harness;
  }

  private <T extends AutoCloseable> T closeLater(T resource) {
    closing.add(resource);
    return resource;
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing.reversed()) c.close();
    if (harness != null) harness.close();
  }

  private static Route asleep(int version) {
    return new Route("hello", SplitBy.RANDOM,
        List.of(new VersionRoute(version, 100, List.of(), true)));
  }

  private static Route up(int version, Backend backend) {
    return new Route("hello", SplitBy.RANDOM,
        List.of(new VersionRoute(version, 100, List.of(backend))));
  }

  @Test
  void heldRequestIsAnsweredByTheInstanceOnceATableGivesItsVersionOne() throws Exception {
    start(HoldLimits.DEFAULT).route(HOST, asleep(3));
    TestBackend app = closeLater(new TestBackend("web.1"));
    try (RawClient client = harness.client()) {
      client.send(GET);
      harness.awaitHeld(1);
      assertThat(waker.next()).isEqualTo("hello:3");
      VersionLoad load = harness.router.load().version("hello", 3);
      assertThat(load.inFlight()).isEqualTo(1);
      assertThat(load.held()).isEqualTo(1);

      Thread.sleep(50); // so the wait shows in the access log
      harness.route(HOST, up(3, app.backend()));
      RawClient.Response response = client.readResponse();
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.instance()).isEqualTo("web.1");
      assertThat(response.seen("x-request-start")).isNotBlank();

      AccessLogEntry entry = harness.log.next();
      assertThat(entry.error()).isNull();
      assertThat(entry.version()).isEqualTo(3);
      assertThat(entry.heldMillis()).isGreaterThanOrEqualTo(50);
      assertThat(entry.format()).contains(" held=");
      // the connection goes on as usual
      assertThat(client.get(HOST, "/").status()).isEqualTo(200);
    }
    assertThat(harness.router.held()).isZero();
    harness.awaitInFlight(0);
    VersionLoad load = harness.router.load().version("hello", 3);
    assertThat(load.held()).isZero();
    assertThat(load.inFlight()).isZero();
    harness.awaitCompleted("hello", 3, 2);
  }

  @Test
  void heldRequestOnTheAppHostGoesToWhicheverVersionOfTheSplitGetsAnInstanceFirst()
      throws Exception {
    start(HoldLimits.DEFAULT).route(HOST, new Route("hello", SplitBy.RANDOM, List.of(
        new VersionRoute(1, 50, List.of(), true), new VersionRoute(2, 50, List.of(), true))));
    TestBackend v2 = closeLater(new TestBackend("web.2"));
    try (RawClient client = harness.client()) {
      client.send(GET);
      harness.awaitHeld(1);
      harness.route(HOST, new Route("hello", SplitBy.RANDOM, List.of(
          new VersionRoute(1, 50, List.of(), true),
          new VersionRoute(2, 50, List.of(v2.backend()), false))));
      RawClient.Response response = client.readResponse();
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.instance()).isEqualTo("web.2");
    }
  }

  @Test
  void tableThatStillHasNoInstanceKeepsTheRequestHeld() throws Exception {
    start(HoldLimits.DEFAULT).route(HOST, asleep(1));
    TestBackend app = closeLater(new TestBackend("web.1"));
    try (RawClient client = harness.client()) {
      client.send(GET);
      harness.awaitHeld(1);
      harness.route("other.localhost", "other", app.backend()); // a new table, same for hello
      harness.route(HOST, asleep(1));
      Thread.sleep(100);
      assertThat(harness.router.held()).isEqualTo(1);
      harness.route(HOST, up(1, app.backend()));
      assertThat(client.readResponse().status()).isEqualTo(200);
    }
  }

  @Test
  void versionThatNeverStartsGives503StartTimeoutAfterTheHoldTimeout() throws Exception {
    start(new HoldLimits(Duration.ofMillis(300), 100)).route(HOST, asleep(1));
    try (RawClient client = harness.client()) {
      long begin = System.nanoTime();
      RawClient.Response response = client.get(HOST, "/");
      long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
      assertThat(response.status()).isEqualTo(503);
      assertThat(response.header("x-router-error")).isEqualTo("start_timeout");
      assertThat(response.text()).contains("did not start in time");
      assertThat(waitedMillis).isGreaterThanOrEqualTo(250);

      AccessLogEntry entry = harness.log.next();
      assertThat(entry.error()).isEqualTo(RouterError.START_TIMEOUT);
      assertThat(entry.version()).isEqualTo(1);
      assertThat(entry.heldMillis()).isGreaterThanOrEqualTo(250);
      assertThat(harness.router.held()).isZero();
      // the connection stays usable
      assertThat(client.get(HOST, "/").header("x-router-error")).isEqualTo("start_timeout");
    }
    harness.awaitCompleted("hello", 1, 2);
  }

  @Test
  void requestsPastTheLimitGet503HoldQueueFullWhileTheFirstStayHeld() throws Exception {
    start(new HoldLimits(Duration.ofSeconds(30), 3)).route(HOST, asleep(1));
    TestBackend app = closeLater(new TestBackend("web.1"));
    List<RawClient> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RawClient client = closeLater(harness.client());
      client.send(GET);
      held.add(client);
    }
    harness.awaitHeld(3);
    try (RawClient late = harness.client()) {
      RawClient.Response response = late.get(HOST, "/");
      assertThat(response.status()).isEqualTo(503);
      assertThat(response.header("x-router-error")).isEqualTo("hold_queue_full");
    }
    assertThat(harness.router.held()).isEqualTo(3);

    harness.route(HOST, up(1, app.backend()));
    for (RawClient client : held) assertThat(client.readResponse().status()).isEqualTo(200);
    assertThat(harness.router.held()).isZero();
  }

  @Test
  void clientThatLeavesWhileHeldFreesItsPlace() throws Exception {
    start(new HoldLimits(Duration.ofSeconds(30), 1)).route(HOST, asleep(1));
    TestBackend app = closeLater(new TestBackend("web.1"));
    RawClient leaving = harness.client();
    leaving.send(GET);
    harness.awaitHeld(1);
    leaving.close();
    harness.awaitHeld(0);
    AccessLogEntry entry = harness.log.next();
    assertThat(entry.error()).isEqualTo(RouterError.CLIENT_CLOSED);
    assertThat(harness.router.load().version("hello", 1).inFlight()).isZero();

    try (RawClient staying = harness.client()) {
      staying.send(GET);
      harness.awaitHeld(1); // not refused: the slot is free again
      harness.route(HOST, up(1, app.backend()));
      assertThat(staying.readResponse().status()).isEqualTo(200);
    }
  }

  @Test
  void webSocketUpgradeIsHeldThenTunnelled() throws Exception {
    start(HoldLimits.DEFAULT).route(HOST, asleep(1));
    WebSocketEchoBackend app = closeLater(new WebSocketEchoBackend("web.1"));
    WebSocketClient client = closeLater(new WebSocketClient(harness.port()));
    CompletableFuture<RawClient.Head> handshake = CompletableFuture.supplyAsync(() -> {
      try {
        return client.handshake(HOST);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    harness.awaitHeld(1);
    assertThat(handshake).isNotDone();
    harness.route(HOST, up(1, app.backend()));

    RawClient.Head head = handshake.get(10, TimeUnit.SECONDS);
    assertThat(head.status()).isEqualTo(101);
    assertThat(head.header("sec-websocket-accept")).isEqualTo(WsFrames.acceptFor(client.key));
    client.sendText("after the wait");
    assertThat(client.readFrame().text()).isEqualTo("after the wait");
    assertThat(harness.router.load().version("hello", 1).inFlight()).isEqualTo(1);
  }

  @Test
  void floodOfRequestsNeverHoldsMoreThanTheLimit() throws Exception {
    int limit = 20;
    start(new HoldLimits(Duration.ofSeconds(30), limit)).route(HOST, asleep(1));
    TestBackend app = closeLater(new TestBackend("web.1"));
    List<RawClient> held = new ArrayList<>();
    for (int i = 0; i < limit; i++) {
      RawClient client = closeLater(harness.client());
      client.send(GET);
      held.add(client);
    }
    harness.awaitHeld(limit);

    int refused = 0;
    int maxHeld = 0;
    List<RawClient> flooders = new ArrayList<>();
    for (int i = 0; i < 4; i++) flooders.add(closeLater(harness.client()));
    for (int round = 0; round < 500; round++) {
      for (RawClient flooder : flooders) {
        RawClient.Response response = flooder.get(HOST, "/");
        if ("hold_queue_full".equals(response.header("x-router-error"))) refused++;
      }
      maxHeld = Math.max(maxHeld, harness.router.held());
    }
    assertThat(refused).isEqualTo(2000);
    assertThat(maxHeld).isEqualTo(limit);
    assertThat(harness.router.load().version("hello", 1).held()).isEqualTo(limit);

    harness.route(HOST, up(1, app.backend()));
    for (RawClient client : held) assertThat(client.readResponse().status()).isEqualTo(200);
    harness.awaitHeld(0);
  }

  @Test
  void heldUploadWaitsInTheClientsSocketAndStreamsOnceReleased() throws Exception {
    start(HoldLimits.DEFAULT).route(HOST, asleep(1));
    TestBackend app = closeLater(new TestBackend("web.1"));
    long size = 64L << 20; // far more than loopback socket buffers hold
    try (RawClient client = harness.client()) {
      client.send("POST /echo HTTP/1.1\r\nHost: " + HOST + "\r\nContent-Length: " + size
          + "\r\n\r\n");
      CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
        try {
          PatternBytes.write(size, client.out());
          client.out().flush();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      harness.awaitHeld(1);
      Thread.sleep(300);
      assertThat(upload).as("the router stopped reading the held body").isNotDone();

      harness.route(HOST, up(1, app.backend()));
      RawClient.Head head = client.readHead();
      assertThat(head.status()).isEqualTo(200);
      PatternBytes.Digest echoed = new PatternBytes.Digest();
      client.readBody(head, echoed);
      upload.get(10, TimeUnit.SECONDS);
      assertThat(echoed.count).isEqualTo(size);
      assertThat(echoed.hex()).isEqualTo(PatternBytes.sha256(size));
    }
  }

  @Test
  void versionThatIsNotStartingStillGets503NoInstancesAtOnce() throws Exception {
    start(HoldLimits.DEFAULT).route(HOST, new Route("hello", SplitBy.RANDOM,
        List.of(new VersionRoute(1, 100, List.of()))));
    try (RawClient client = harness.client()) {
      RawClient.Response response = client.get(HOST, "/");
      assertThat(response.status()).isEqualTo(503);
      assertThat(response.header("x-router-error")).isEqualTo("no_instances");
    }
    assertThat(harness.router.held()).isZero();
    assertThat(waker.pending()).isZero();
  }

  @Test
  void requestFallingBackToARunningVersionStillWakesItsOwnSleepingVersion() throws Exception {
    start(HoldLimits.DEFAULT);
    TestBackend v1 = closeLater(new TestBackend("web.1"));
    harness.route(HOST, new Route("hello", SplitBy.COOKIE, List.of(
        new VersionRoute(1, 90, List.of(v1.backend())),
        new VersionRoute(2, 10, List.of(), true))));
    try (RawClient client = harness.client()) {
      RawClient.Response response = client.get(HOST, "/", "Cookie: pier_split=9500");
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.instance()).isEqualTo("web.1");
    }
    assertThat(waker.next()).isEqualTo("hello:2");
    assertThat(harness.router.held()).isZero();
  }
}
