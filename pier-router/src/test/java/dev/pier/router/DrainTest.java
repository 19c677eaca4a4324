package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.Backend;
import dev.pier.model.Route;
import dev.pier.model.SplitBy;
import dev.pier.model.VersionRoute;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * In-flight counts per instance, which the control plane polls to drain an instance before
 * stopping it, and version swaps under load.
 */
class DrainTest {
  private static final String HOST = "hello.localhost";
  private static final String HOLD = "GET /hold HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n";

  private TestBackend slow;
  private RouterHarness harness;

  @BeforeEach
  void start() throws Exception {
    slow = new TestBackend("web.1");
    harness = new RouterHarness();
  }

  @AfterEach
  void stop() {
    harness.close();
    slow.close();
  }

  @Test
  void requestIsCountedWhileTheInstanceHoldsItAndNotAfter() throws Exception {
    harness.route(HOST, "hello", slow.backend());
    try (RawClient client = harness.client()) {
      client.send(HOLD);
      slow.awaitHeld();
      assertThat(harness.inFlight(slow.backend())).isEqualTo(1);
      assertThat(harness.router.inFlight()).isEqualTo(1);

      slow.releaseHeld();
      assertThat(client.readResponse().status()).isEqualTo(200);
      harness.awaitInFlight(0);
      assertThat(harness.inFlight(slow.backend())).isZero();
    }
  }

  @Test
  void refusedConnectionCountsOnlyTheInstanceThatServesTheRetry() throws Exception {
    Backend refusing = RouterHarness.refusing("web.2");
    harness.route(HOST, "hello", refusing, slow.backend()); // round robin tries web.2 first
    try (RawClient client = harness.client()) {
      client.send(HOLD);
      slow.awaitHeld();
      assertThat(harness.inFlight(refusing)).isZero();
      assertThat(harness.inFlight(slow.backend())).isEqualTo(1);
      assertThat(harness.router.inFlight()).isEqualTo(1);

      slow.releaseHeld();
      RawClient.Response response = client.readResponse();
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.instance()).isEqualTo("web.1");
      harness.awaitInFlight(0);
    }
  }

  @Test
  void failedConnectionsLeaveNothingCounted() throws Exception {
    harness.route(HOST, "hello", RouterHarness.refusing("web.1"), RouterHarness.refusing("web.2"));
    try (RawClient client = harness.client()) {
      assertThat(client.get(HOST, "/").status()).isEqualTo(502);
    }
    harness.awaitInFlight(0);
  }

  @Test
  void clientLeavingMidRequestIsNoLongerCounted() throws Exception {
    harness.route(HOST, "hello", slow.backend());
    RawClient client = harness.client();
    client.send(HOLD);
    slow.awaitHeld();
    assertThat(harness.inFlight(slow.backend())).isEqualTo(1);

    client.close();
    harness.awaitInFlight(0);
    assertThat(harness.inFlight(slow.backend())).isZero();
    assertThat(harness.log.next().error()).isEqualTo(RouterError.CLIENT_CLOSED);
  }

  @Test
  void versionSwapSendsNoNewRequestToTheOldVersionWhileItsRequestCompletes() throws Exception {
    TestBackend fresh = new TestBackend("web.1-v2");
    try (fresh; RawClient early = harness.client(); RawClient late = harness.client()) {
      harness.route(HOST, new Route("hello", SplitBy.RANDOM,
          List.of(new VersionRoute(1, 100, List.of(slow.backend())))));
      early.send(HOLD);
      slow.awaitHeld();

      harness.route(HOST, new Route("hello", SplitBy.RANDOM,
          List.of(new VersionRoute(2, 100, List.of(fresh.backend())))));
      for (int i = 0; i < 20; i++) {
        RawClient.Response response = late.get(HOST, "/");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.instance()).isEqualTo("web.1-v2");
      }
      assertThat(harness.inFlight(slow.backend())).isEqualTo(1); // the control plane waits

      slow.releaseHeld();
      RawClient.Response held = early.readResponse();
      assertThat(held.status()).isEqualTo(200);
      assertThat(held.instance()).isEqualTo("web.1");
      harness.awaitInFlight(0);

      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 21; i++) lines.add(harness.log.next().format());
      assertThat(lines).filteredOn(l -> l.contains("dyno=web.1-v2 version=v2 ")).hasSize(20);
      assertThat(lines).filteredOn(l -> l.contains("dyno=web.1 version=v1 ")).hasSize(1);
    }
  }
}
