package dev.pier.e2e;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounded load through the router while an operation runs: N clients, each sending GET requests
 * back to back until stopped (or a hard cap of requests and 3 minutes). A failure is a connection
 * error or a 5xx answer.
 */
final class LoadLoop implements AutoCloseable {
  private static final long MAX_REQUESTS = 200_000;
  private static final long MAX_MILLIS = 180_000;

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong requests = new AtomicLong();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final Map<String, AtomicLong> bodies = new ConcurrentHashMap<>();
  private final List<Thread> clients = new ArrayList<>();

  LoadLoop(PlatformHarness pier, String app, int concurrency, java.util.function.Function<String, String> classify) {
    long deadline = System.currentTimeMillis() + MAX_MILLIS;
    for (int i = 0; i < concurrency; i++) {
      clients.add(Thread.ofVirtual().start(() -> {
        while (running.get() && requests.get() < MAX_REQUESTS && System.currentTimeMillis() < deadline) {
          try {
            PlatformHarness.Response r = pier.get(app, "/");
            requests.incrementAndGet();
            if (r.status() >= 500) {
              failures.add(r.status() + " " + r.headers().getOrDefault("x-router-error", "") + " " + r.body());
            } else {
              bodies.computeIfAbsent(classify.apply(r.body()), k -> new AtomicLong()).incrementAndGet();
            }
          } catch (IOException | RuntimeException e) {
            requests.incrementAndGet();
            failures.add(e.toString());
          }
        }
      }));
    }
  }

  /** Stops the clients and waits for their last requests. */
  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread t : clients) t.join();
  }

  long requests() {
    return requests.get();
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  Map<String, Long> seen() {
    Map<String, Long> m = new java.util.TreeMap<>();
    bodies.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }
}
