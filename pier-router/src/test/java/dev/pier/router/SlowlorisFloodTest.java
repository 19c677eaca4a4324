package dev.pier.router;

import dev.pier.testkit.SlowClients;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Thousands of slowloris connections (a header line every second, never the end of the head)
 * against a router with a real app behind it: the router holds no more of them than its limits,
 * and a normal client is still served. Each test prints what it saw.
 */
class SlowlorisFloodTest {
  private TestBackend web1;
  private RouterHarness harness;

  @BeforeEach
  void backend() throws Exception {
    web1 = new TestBackend("web.1");
  }

  @AfterEach
  void stop() {
    if (harness != null) harness.close();
    web1.close();
  }

  private void start(ClientLimits limits) throws InterruptedException {
    harness = new RouterHarness(RouterHarness.FAST.withClientLimits(limits));
    harness.route("hello.localhost", "hello", web1.backend());
  }

  @Test
  void aFloodFromOneAddressIsHeldToItsLimitWhileOthersAreServed() throws Exception {
    // A head deadline longer than the test: what holds the flood here is the per-address limit.
    start(ClientLimits.DEFAULT.withHeadTimeout(Duration.ofMinutes(1))); // 256 per address
    try (SlowClients flood = new SlowClients()) {
      flood.open(harness.port(), InetAddress.getByName("127.0.0.2"), 3000);
      harness.awaitClientConnections(256);
      for (int second = 0; second < 3; second++) {
        Thread.sleep(1000);
        flood.trickle();
      }
      int held = harness.router.clientConnections();
      long refused = harness.router.refusedConnections();
      Served served = serve(InetAddress.getByName("127.0.0.1"));
      System.out.printf("slowloris from one address: %d connections opened, router held %d,"
          + " refused %d; a normal client got %d in %d ms%n",
          flood.size(), held, refused, served.status, served.millis);
      assertThat(held).isEqualTo(256);
      assertThat(refused).isEqualTo(3000 - 256);
      assertThat(served.status).isEqualTo(200);
    }
  }

  @Test
  void aFloodFromManyAddressesStopsAtTheRouterCapAndOthersAreToldAtOnce() throws Exception {
    start(ClientLimits.DEFAULT.withConnections(1000, 256).withHeadTimeout(Duration.ofMinutes(1)));
    try (SlowClients flood = new SlowClients()) {
      long floodStart = System.nanoTime();
      for (int i = 0; i < 12; i++) { // 12 addresses x 150: each under its own limit
        flood.open(harness.port(), InetAddress.getByName("127.0.0." + (10 + i)), 150);
      }
      long openMillis = Duration.ofNanos(System.nanoTime() - floodStart).toMillis();
      flood.trickle();
      // A connect returns once the kernel queued the connection: the router accepts (and
      // refuses) on its event loops, maybe a little later.
      harness.awaitRefused(800);
      int held = harness.router.clientConnections();
      long refused = harness.router.refusedConnections();
      Served whileFull = serve(InetAddress.getByName("127.0.0.1"));
      System.out.printf("slowloris from 12 addresses: %d connections opened in %d ms, router held"
          + " %d (cap 1000), refused %d; a normal client got %d in %d ms while the router was"
          + " full%n", flood.size(), openMillis, held, refused, whileFull.status, whileFull.millis);
      assertThat(held).isEqualTo(1000);
      assertThat(refused).isEqualTo(800);
      assertThat(whileFull.status).isEqualTo(503); // told at once, not left hanging
    }
  }

  @Test
  void aFloodIsCutAtTheHeadDeadlineAndTheRouterServesAgain() throws Exception {
    start(ClientLimits.DEFAULT.withConnections(1000, 256).withHeadTimeout(Duration.ofSeconds(3)));
    try (SlowClients flood = new SlowClients()) {
      long floodStart = System.nanoTime();
      for (int i = 0; i < 8; i++) { // 8 addresses x 150 = 1200: over the cap
        flood.open(harness.port(), InetAddress.getByName("127.0.0." + (40 + i)), 150);
      }
      int peak = harness.router.clientConnections();
      // The flood keeps trickling a header line a second; the deadline counts from the accept.
      for (int second = 0; second < 30 && harness.router.clientConnections() > 0; second++) {
        Thread.sleep(1000);
        flood.trickle();
      }
      long untilCut = Duration.ofNanos(System.nanoTime() - floodStart).toMillis();
      int left = harness.router.clientConnections();
      Served after = serve(InetAddress.getByName("127.0.0.1"));
      System.out.printf("head deadline 3 s: %d slow connections opened (router held %d right"
          + " after, refused %d); none left %d ms after the flood began; a normal client then got"
          + " %d in %d ms%n", flood.size(), peak,
          harness.router.refusedConnections(), untilCut, after.status, after.millis);
      assertThat(left).isZero();
      assertThat(after.status).isEqualTo(200);
    }
  }

  private Served serve(InetAddress from) throws Exception {
    long start = System.nanoTime();
    try (RawClient client = new RawClient(harness.port(), from)) {
      int status = client.get("hello.localhost", "/").status();
      return new Served(status, (System.nanoTime() - start) / 1_000_000);
    }
  }

  private record Served(int status, long millis) {}
}
