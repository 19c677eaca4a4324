package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the router allows one client: the request head deadline and the connection limits. */
class SlowClientTest {
  private final TestBackend web1;
  private RouterHarness harness;

  SlowClientTest() throws IOException {
    web1 = new TestBackend("web.1");
  }

  private void start(ClientLimits limits) throws InterruptedException {
    harness = new RouterHarness(RouterHarness.FAST.withClientLimits(limits));
    harness.route("hello.localhost", "hello", web1.backend());
  }

  @AfterEach
  void stop() {
    if (harness != null) harness.close();
    web1.close();
  }

  @Test
  void aSlowClientIsCutAfterTheHeadDeadline() throws Exception {
    start(ClientLimits.DEFAULT.withHeadTimeout(Duration.ofSeconds(1)));
    try (RawClient client = harness.client()) {
      long start = System.nanoTime();
      client.send("GET / HTTP/1.1\r\nHost: hello.localhost\r\n");
      Thread trickle = trickle(client, 25); // 5 s of header lines, one every 200 ms
      RawClient.Response response = client.readResponse();
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(response.status()).isEqualTo(408);
      assertThat(response.header("X-Router-Error")).isEqualTo("head_timeout");
      assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
      assertThat(took).isBetween(Duration.ofMillis(800), Duration.ofSeconds(5));
      assertThat(client.closedByPeer()).isTrue();
      trickle.interrupt();
    }
    Thread.sleep(200);
    assertThat(harness.log.size()).as("no access log entry without a request").isZero();
  }

  @Test
  void everyRequestOnAKeptAliveConnectionHasItsOwnHeadDeadline() throws Exception {
    start(ClientLimits.DEFAULT.withHeadTimeout(Duration.ofSeconds(1)));
    try (RawClient client = harness.client()) {
      assertThat(client.get("hello.localhost", "/one").status()).isEqualTo(200);
      Thread.sleep(1500); // idle between requests: the idle timeout's business, not the head's
      assertThat(client.get("hello.localhost", "/two").status()).isEqualTo(200);
      client.send("GET /three HTTP/1.1\r\nHost: hello.localhost\r\n");
      Thread trickle = trickle(client, 25);
      RawClient.Response third = client.readResponse();
      assertThat(third.status()).isEqualTo(408);
      assertThat(third.header("X-Router-Error")).isEqualTo("head_timeout");
      assertThat(client.closedByPeer()).isTrue();
      trickle.interrupt();
    }
  }

  @Test
  void aConnectionThatSendsNothingIsClosedAfterTheHeadDeadline() throws Exception {
    start(ClientLimits.DEFAULT.withHeadTimeout(Duration.ofSeconds(1)));
    try (RawClient client = harness.client()) {
      RawClient.Response response = client.readResponse();
      assertThat(response.status()).isEqualTo(408);
      assertThat(client.closedByPeer()).isTrue();
    }
    harness.awaitClientConnections(0);
  }

  @Test
  void aSlowBodyIsNotCutByTheHeadDeadline() throws Exception {
    start(ClientLimits.DEFAULT.withHeadTimeout(Duration.ofMillis(500)));
    try (RawClient client = harness.client()) {
      client.send("POST /echo HTTP/1.1\r\nHost: hello.localhost\r\nContent-Length: 10\r\n\r\n");
      for (int i = 0; i < 10; i++) {
        Thread.sleep(150); // 1.5 s of body, three head deadlines
        client.send("x");
      }
      RawClient.Response response = client.readResponse();
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.text()).isEqualTo("xxxxxxxxxx");
    }
  }

  @Test
  void connectionsOverThePerAddressLimitGet429WhileOtherAddressesAreServed() throws Exception {
    start(ClientLimits.DEFAULT.withConnections(100, 4));
    InetAddress busy = InetAddress.getByName("127.0.0.2");
    List<RawClient> held = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        RawClient client = new RawClient(harness.port(), busy);
        held.add(client);
        assertThat(client.get("hello.localhost", "/").status()).isEqualTo(200);
      }
      try (RawClient fifth = new RawClient(harness.port(), busy)) {
        RawClient.Response refused = fifth.readResponse();
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("X-Router-Error")).isEqualTo("too_many_connections");
        assertThat(fifth.closedByPeer()).isTrue();
      }
      try (RawClient other = new RawClient(harness.port(), InetAddress.getByName("127.0.0.3"))) {
        assertThat(other.get("hello.localhost", "/").status()).isEqualTo(200);
      }
      assertThat(held.getFirst().get("hello.localhost", "/").status()).isEqualTo(200);

      held.removeFirst().close(); // its count is given back
      harness.awaitClientConnections(3);
      try (RawClient again = new RawClient(harness.port(), busy)) {
        assertThat(again.get("hello.localhost", "/").status()).isEqualTo(200);
      }
      assertThat(harness.router.refusedConnections()).isEqualTo(1);
    } finally {
      for (RawClient client : held) client.close();
    }
  }

  @Test
  void connectionsOverTheRouterLimitGet503() throws Exception {
    start(ClientLimits.DEFAULT.withConnections(3, 100));
    List<RawClient> held = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        RawClient client = harness.client();
        held.add(client);
        assertThat(client.get("hello.localhost", "/").status()).isEqualTo(200);
      }
      try (RawClient fourth = new RawClient(harness.port(), InetAddress.getByName("127.0.0.4"))) {
        RawClient.Response refused = fourth.readResponse();
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("X-Router-Error")).isEqualTo("router_full");
        assertThat(fourth.closedByPeer()).isTrue();
      }
      held.removeFirst().close();
      harness.awaitClientConnections(2);
      try (RawClient again = harness.client()) {
        assertThat(again.get("hello.localhost", "/").status()).isEqualTo(200);
      }
    } finally {
      for (RawClient client : held) client.close();
    }
  }

  /** Sends up to {@code lines} header lines, one every 200 ms, on a virtual thread. */
  private static Thread trickle(RawClient client, int lines) {
    return Thread.ofVirtual().start(() -> {
      try {
        for (int i = 0; i < lines; i++) {
          Thread.sleep(200);
          client.send("X-Slow-" + i + ": still coming\r\n");
        }
      } catch (IOException | InterruptedException e) {
        // cut by the router, or the test is done
      }
    });
  }
}
