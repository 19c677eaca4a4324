package dev.pier.router;

import dev.pier.model.Backend;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts requests currently assigned to each backend, so the control plane can drain an instance
 * (stop routing to it, wait until its count is 0, then stop it).
 *
 * <p>Thread-safe and cheap: one map update per change. Keys are {@code host:port}; entries that
 * drop to 0 are removed, so ports of stopped instances do not accumulate.
 */
final class InFlight {
  private final ConcurrentHashMap<String, Integer> byBackend = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();

  /** Counts one more request assigned to {@code backend}. */
  void begin(Backend backend) {
    byBackend.merge(key(backend.host(), backend.port()), 1, Integer::sum);
    total.incrementAndGet();
  }

  /** Counts one request of {@code backend} as ended; must follow exactly one {@link #begin}. */
  void end(Backend backend) {
    String key = key(backend.host(), backend.port());
    byBackend.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    total.decrementAndGet();
  }

  int count(String host, int port) {
    return byBackend.getOrDefault(key(host, port), 0);
  }

  /** Returns the counts above 0, keyed {@code host:port}. */
  Map<String, Integer> snapshot() {
    return Map.copyOf(byBackend);
  }

  int total() {
    return total.get();
  }

  private static String key(String host, int port) {
    return host + ":" + port;
  }
}
