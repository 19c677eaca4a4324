package dev.pier.router;

import dev.pier.model.Backend;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts requests currently assigned to each backend, so the control plane can drain an instance
 * (stop routing to it, wait until its count is 0, then stop it) and the {@link LeastInFlight}
 * balancer can prefer the least busy instance.
 *
 * <p>Thread-safe and allocation-free once a backend has a counter: a request is one atomic
 * increment and one decrement. Counters are keyed by {@link Backend}; a counter at 0 is removed
 * when more than {@value #PRUNE_ABOVE} exist, so ports of stopped instances do not accumulate. A
 * removed counter is first marked dead (0 to -1 atomically), so a request counted concurrently
 * retries on a fresh counter instead of being lost.
 */
final class InFlight {
  /** Counters kept before idle ones are removed. */
  static final int PRUNE_ABOVE = 256;
  private static final int DEAD = -1;

  private final ConcurrentHashMap<Backend, AtomicInteger> byBackend = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();

  /** Counts one more request assigned to {@code backend}. */
  void begin(Backend backend) {
    while (true) {
      AtomicInteger counter = byBackend.computeIfAbsent(backend, b -> new AtomicInteger());
      int n = counter.get();
      if (n == DEAD) {
        byBackend.remove(backend, counter);
        continue;
      }
      if (counter.compareAndSet(n, n + 1)) break;
    }
    total.incrementAndGet();
    if (byBackend.size() > PRUNE_ABOVE) prune();
  }

  /** Counts one request of {@code backend} as ended; must follow exactly one {@link #begin}. */
  void end(Backend backend) {
    AtomicInteger counter = byBackend.get(backend);
    if (counter != null) counter.decrementAndGet(); // > 0 while this request counts: never dead
    total.decrementAndGet();
  }

  /** Requests in flight on {@code backend}. */
  int count(Backend backend) {
    AtomicInteger counter = byBackend.get(backend);
    return counter == null ? 0 : Math.max(0, counter.get());
  }

  int count(String host, int port) {
    int n = 0;
    for (Map.Entry<Backend, AtomicInteger> e : byBackend.entrySet()) {
      if (e.getKey().host().equals(host) && e.getKey().port() == port) n += Math.max(0, e.getValue().get());
    }
    return n;
  }

  /** Returns the counts above 0, keyed {@code host:port}. */
  Map<String, Integer> snapshot() {
    Map<String, Integer> counts = new HashMap<>();
    for (Map.Entry<Backend, AtomicInteger> e : byBackend.entrySet()) {
      int n = e.getValue().get();
      if (n > 0) counts.merge(e.getKey().host() + ":" + e.getKey().port(), n, Integer::sum);
    }
    return Map.copyOf(counts);
  }

  int total() {
    return total.get();
  }

  private void prune() {
    for (Map.Entry<Backend, AtomicInteger> e : byBackend.entrySet()) {
      AtomicInteger counter = e.getValue();
      if (counter.compareAndSet(0, DEAD)) byBackend.remove(e.getKey(), counter);
    }
  }
}
