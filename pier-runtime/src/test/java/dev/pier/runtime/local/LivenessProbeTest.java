package dev.pier.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.pier.runtime.Probes;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The liveness probe against a real HTTP server on loopback. */
@Timeout(30)
class LivenessProbeTest {
  private HttpServer server;
  private final AtomicInteger probes = new AtomicInteger();
  private volatile int status = 200;
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean hang;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(PortAllocator.loopback(), 0), 50);
    server.createContext("/healthz", exchange -> {
      probes.incrementAndGet();
      if (hang) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private LivenessProbe probe(Duration interval, Duration timeout, int failures, int successes) {
    return new LivenessProbe(new Probes.Liveness("/healthz", interval, timeout, failures, successes,
        Duration.ZERO), server.getAddress().getPort());
  }

  /** Polls until the probe says restart; returns how many polls it took (bounded). */
  private static boolean pollUntilRestart(LivenessProbe probe, Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline) {
      if (probe.poll()) return true;
      Thread.sleep(5);
    }
    return false;
  }

  @Test
  void aHealthyInstanceIsNeverToldToRestart() throws Exception {
    LivenessProbe probe = probe(Duration.ofMillis(20), Duration.ofSeconds(1), 2, 1);

    assertThat(pollUntilRestart(probe, Duration.ofMillis(500))).isFalse();
    assertThat(probes.get()).isGreaterThan(3);
  }

  @Test
  void failureThresholdFailuresInARowRestart() throws Exception {
    status = 500;
    LivenessProbe probe = probe(Duration.ofMillis(20), Duration.ofSeconds(1), 3, 1);

    assertThat(pollUntilRestart(probe, Duration.ofSeconds(5))).isTrue();
    assertThat(probe.failures()).isEqualTo(3);
    assertThat(probes.get()).isEqualTo(3);
  }

  @Test
  void aProbeThatHangsPastItsTimeoutFailsAndNeverHasAnotherInFlight() throws Exception {
    hang = true;
    LivenessProbe probe = probe(Duration.ofMillis(10), Duration.ofMillis(300), 2, 1);

    long start = System.nanoTime();
    assertThat(pollUntilRestart(probe, Duration.ofSeconds(5))).isTrue();
    long took = (System.nanoTime() - start) / 1_000_000;

    // Overlapping probes would be ~60 in these 600 ms (one per 10 ms); a loaded machine may not
    // have let the server count the second before the client gave up on it.
    assertThat(probes.get()).as("one probe in flight at a time").isBetween(1, 2);
    assertThat(took).as("two timeouts of 300 ms").isBetween(550L, 3_000L);
  }

  @Test
  void aFailureIsClearedOnlyBySuccessThresholdPassesInARow() throws Exception {
    status = 500;
    LivenessProbe probe = probe(Duration.ofMillis(10), Duration.ofSeconds(1), 10, 3);
    while (probe.failures() < 1) {
      probe.poll();
      Thread.sleep(2);
    }
    int before = probes.get();
    status = 200;
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (probe.failures() > 0 && System.nanoTime() < deadline) {
      probe.poll();
      Thread.sleep(2);
    }

    assertThat(probe.failures()).isZero();
    assertThat(probes.get() - before).as("probes answered after the app recovered").isGreaterThanOrEqualTo(3);
  }
}
