package dev.pier.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Measures the cost of {@link Metrics#recordRequest} per call, with 1 and 2 recording threads
 * (as the router's event loops would), while a ticker closes a window every second. Two path
 * variants: the same String instances again and again (hash cached), and a fresh String per call
 * like a decoded request line (the copy, about 10 ns, is included in that figure).
 *
 * <p>Run: {@code java -cp <test classpath> dev.pier.metrics.RecordBench [callsPerThread]}.
 */
public final class RecordBench {
  private static final String[] PATHS = {
    "/", "/api/v2/items", "/users/123", "/users/456/orders/7", "/search?q=shoes&page=2",
    "/orders/123e4567-e89b-12d3-a456-426614174000", "/static/app.js", "/health",
    "/posts/release-2024-01-15", "/cart", "/checkout", "/orders/5f2b8c9e1a2b3c4d5e6f7a8b",
    "/api/v2/items/99?expand=true", "/login", "/logout", "/users/789/settings",
  };
  private static final String[] METHODS = {"GET", "GET", "GET", "POST"};
  private static final int[] STATUSES = {200, 200, 200, 200, 200, 200, 304, 404, 200, 500};

  private RecordBench() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
    Path dir = Files.createTempDirectory("pier-metrics-bench");
    try (Metrics metrics = new Metrics(dir, InstantSource.system())) {
      AtomicBoolean done = new AtomicBoolean();
      Thread ticker = Thread.ofPlatform().daemon().start(() -> {
        while (!done.get()) {
          try {
            Thread.sleep(1000);
          } catch (InterruptedException e) {
            return;
          }
          metrics.tick();
        }
      });
      System.out.println("warm-up ...");
      run(metrics, 2, calls, false);
      run(metrics, 2, calls, true);
      for (boolean fresh : new boolean[] {false, true}) {
        for (int threads : new int[] {1, 2}) {
          double[] rounds = new double[5];
          for (int r = 0; r < rounds.length; r++) rounds[r] = run(metrics, threads, calls, fresh);
          Arrays.sort(rounds);
          System.out.printf(
              "recordRequest, %d thread(s), %s paths: median %.1f ns/call per thread"
                  + " (best %.1f, worst %.1f), %.1f M calls/s total%n",
              threads, fresh ? "fresh" : "reused", rounds[2], rounds[0], rounds[4],
              threads * 1000.0 / rounds[2]);
        }
      }
      done.set(true);
      ticker.interrupt();
      ticker.join();
      System.out.println(metrics.summary("bench", Duration.ofMinutes(5)).total().requests()
          + " requests recorded in the last 5 minutes of windows");
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // best effort: a temp dir
      }
    }
  }

  /** Returns the mean nanoseconds per call of the slowest thread. */
  private static double run(Metrics metrics, int threads, int calls, boolean fresh)
      throws Exception {
    CyclicBarrier start = new CyclicBarrier(threads);
    long[] elapsed = new long[threads];
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int id = t;
      workers[t] = Thread.ofPlatform().start(() -> {
        try {
          start.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        long begin = System.nanoTime();
        for (int i = 0; i < calls; i++) {
          String path = PATHS[i & 15];
          if (fresh) path = new String(path);
          metrics.recordRequest(
              "bench", 1 + (i >>> 20 & 1), METHODS[i & 3], path, STATUSES[i % 10],
              (i * 7L + id) % 250, 512);
        }
        elapsed[id] = System.nanoTime() - begin;
      });
    }
    for (Thread worker : workers) worker.join();
    return Arrays.stream(elapsed).max().orElseThrow() / (double) calls;
  }
}
