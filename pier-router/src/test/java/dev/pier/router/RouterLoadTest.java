package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pier.model.Route;
import dev.pier.model.SplitBy;
import dev.pier.model.VersionRoute;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load the router reports per app version and per instance, for the autoscaler. */
class RouterLoadTest {
  private static final String HOST = "hello.localhost";
  private static final String HOLD = "GET /hold HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n";

  private TestBackend v1;
  private TestBackend v2;
  private RouterHarness harness;

  @BeforeEach
  void start() throws Exception {
    v1 = new TestBackend("web.1");
    v2 = new TestBackend("web.2");
    harness = new RouterHarness();
    harness.route(HOST, new Route("hello", SplitBy.RANDOM, List.of(
        new VersionRoute(1, 100, List.of(v1.backend())),
        new VersionRoute(2, 0, List.of(v2.backend())))));
    harness.route("v2.hello.localhost", new Route("hello", SplitBy.RANDOM, List.of(
        new VersionRoute(2, 100, List.of(v2.backend())))));
  }

  @AfterEach
  void stop() {
    harness.close();
    v1.close();
    v2.close();
  }

  @Test
  void loadCountsRequestsInFlightAndCompletedPerVersionAndInstance() throws Exception {
    try (RawClient a = harness.client(); RawClient b = harness.client();
        RawClient c = harness.client()) {
      a.send(HOLD);
      b.send(HOLD);
      v1.awaitHeld();
      v1.awaitHeld();
      assertThat(c.get("v2.hello.localhost", "/").status()).isEqualTo(200);
      harness.awaitCompleted("hello", 2, 1); // counted just after the last byte went out

      RouterLoad load = harness.router.load();
      assertThat(load.version("hello", 1).inFlight()).isEqualTo(2);
      assertThat(load.version("hello", 1).held()).isZero();
      assertThat(load.version("hello", 1).completed()).isZero();
      assertThat(load.inFlight("127.0.0.1", v1.backend().port())).isEqualTo(2);
      assertThat(load.version("hello", 2).completed()).isEqualTo(1);

      v1.releaseHeld();
      v1.releaseHeld();
      assertThat(a.readResponse().status()).isEqualTo(200);
      assertThat(b.readResponse().status()).isEqualTo(200);
    }
    harness.awaitInFlight(0);
    RouterLoad load = harness.router.load();
    assertThat(load.version("hello", 1).inFlight()).isZero();
    harness.awaitCompleted("hello", 1, 2);
    assertThat(load.inFlight("127.0.0.1", v1.backend().port())).isZero();
    assertThat(load.version("nope", 9)).isEqualTo(VersionLoad.idle("nope", 9));
  }

  @Test
  void concurrencyIntegralGrowsByTheRequestsInFlightTimesTheTimeTheyTake() throws Exception {
    try (RawClient a = harness.client(); RawClient b = harness.client()) {
      a.send(HOLD);
      b.send(HOLD);
      v1.awaitHeld();
      v1.awaitHeld();
      RouterLoad before = harness.router.load();
      Thread.sleep(300);
      RouterLoad after = harness.router.load();
      // both requests were in flight the whole time: exactly 2 on average, whatever the sleep
      assertThat(after.averageConcurrency(before, "hello", 1)).isCloseTo(2.0, within(0.01));
      long grown = after.version("hello", 1).concurrencyMicros()
          - before.version("hello", 1).concurrencyMicros();
      assertThat(grown).isBetween(2 * 250_000L, 2 * 5_000_000L);
      assertThat(after.averageConcurrency(before, "hello", 2)).isZero();

      v1.releaseHeld();
      v1.releaseHeld();
      a.readResponse();
      b.readResponse();
    }
    harness.awaitInFlight(0);
    RouterLoad idle = harness.router.load();
    Thread.sleep(50);
    assertThat(harness.router.load().averageConcurrency(idle, "hello", 1)).isZero();
  }

  @Test
  void averagesBetweenSnapshotsCountFromZeroWhenAVersionsCountersRestarted() {
    RouterLoad earlier = new RouterLoad(0, List.of(
        new VersionLoad("hello", 1, 1, 0, 100, 5_000_000)), Map.of());
    RouterLoad later = new RouterLoad(2_000_000_000L, List.of(
        new VersionLoad("hello", 1, 1, 0, 140, 7_000_000)), Map.of());
    assertThat(later.averageConcurrency(earlier, "hello", 1)).isCloseTo(1.0, within(1e-9));
    assertThat(later.requestsPerSecond(earlier, "hello", 1)).isCloseTo(20.0, within(1e-9));

    RouterLoad restarted = new RouterLoad(4_000_000_000L, List.of(
        new VersionLoad("hello", 1, 0, 0, 10, 1_000_000)), Map.of());
    assertThat(restarted.averageConcurrency(later, "hello", 1)).isCloseTo(0.5, within(1e-9));
    assertThat(restarted.requestsPerSecond(later, "hello", 1)).isCloseTo(5.0, within(1e-9));
  }
}
