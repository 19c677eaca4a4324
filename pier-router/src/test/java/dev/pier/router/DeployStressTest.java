package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Temporary: deploy cycles under load with pooling on. */
class DeployStressTest {
  private static final String HOST = "hello.localhost";

  @Test
  void deployCyclesUnderLoad() throws Exception {
    int idleClose = Integer.getInteger("stress.idleClose", 500);
    RouterConfig config = RouterHarness.FAST
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(10))
        .withBackendPool(Duration.ofMillis(Integer.getInteger("stress.poolIdle", 400)), 64);
    List<KeepAliveBackend> all = new ArrayList<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger ok = new AtomicInteger();
    AtomicBoolean running = new AtomicBoolean(true);
    try (RouterHarness harness = new RouterHarness(config)) {
      KeepAliveBackend a = new KeepAliveBackend("web.1", new KeepAliveBackend.Behaviour(idleClose, false, 0));
      KeepAliveBackend b = new KeepAliveBackend("web.2", new KeepAliveBackend.Behaviour(idleClose, false, 0));
      all.add(a);
      all.add(b);
      harness.route(HOST, "hello", a.backend(), b.backend());
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < 16; c++) {
        clients.add(Thread.ofVirtual().start(() -> {
          while (running.get()) {
            long t0 = System.nanoTime();
            try (RawClient client = harness.client()) {
              client.socket.setSoTimeout(6000);
              RawClient.Response r = client.get(HOST, "/", "Connection: close");
              if (r.status() != 200) failures.add(r.status() + " " + r.header("X-Router-Error"));
              else ok.incrementAndGet();
            } catch (IOException e) {
              failures.add(e + " after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            }
          }
        }));
      }
      int cycles = Integer.getInteger("stress.cycles", 20);
      for (int i = 0; i < cycles; i++) {
        Thread.sleep(Integer.getInteger("stress.pause", 300));
        KeepAliveBackend na = new KeepAliveBackend("web.1", new KeepAliveBackend.Behaviour(idleClose, false, 0));
        KeepAliveBackend nb = new KeepAliveBackend("web.2", new KeepAliveBackend.Behaviour(idleClose, false, 0));
        all.add(na);
        all.add(nb);
        harness.route(HOST, "hello", na.backend(), nb.backend());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while ((harness.inFlight(a.backend()) > 0 || harness.inFlight(b.backend()) > 0)
            && System.nanoTime() < deadline) {
          Thread.sleep(2);
        }
        a.close();
        b.close();
        a = na;
        b = nb;
      }
      running.set(false);
      for (Thread t : clients) t.join();
    } finally {
      for (KeepAliveBackend k : all) k.close();
    }
    System.out.println("ok=" + ok + " failures=" + failures.size() + " " + failures);
    assertThat(failures).isEmpty();
  }
}
