package dev.pier.router;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of the router's load, for the autoscaler: per app version ({@link VersionLoad}) and
 * per instance. Take one every few seconds and compare it with the previous one:
 *
 * <pre>
 *   RouterLoad now = router.load();
 *   double concurrency = now.averageConcurrency(previous, "hello", 3); // e.g. 4.2 requests
 *   double rps = now.requestsPerSecond(previous, "hello", 3);
 * </pre>
 *
 * <p>Counters of a version restart at 0 if it disappears from the published tables while idle
 * and comes back later; the averages then count from 0 (never negative).
 *
 * @param nanoTime when the snapshot was taken, in {@link System#nanoTime()} terms
 * @param versions every version the router counted since it started (or since it last had its
 *     counters dropped), in no particular order
 * @param backends requests assigned to each instance now, keyed {@code host:port} as spelled in
 *     its {@link dev.pier.model.Backend}; instances with none are absent
 */
public record RouterLoad(long nanoTime, List<VersionLoad> versions, Map<String, Integer> backends) {
  public RouterLoad {
    versions = List.copyOf(versions);
    backends = Map.copyOf(backends);
  }

  /** Returns the numbers of {@code version} of {@code app}, all 0 if the router saw none of it. */
  public VersionLoad version(String app, int version) {
    for (VersionLoad v : versions) {
      if (v.version() == version && v.app().equals(app)) return v;
    }
    return VersionLoad.idle(app, version);
  }

  /** Returns the requests assigned to the instance at {@code host}:{@code port} now. */
  public int inFlight(String host, int port) {
    return backends.getOrDefault(host + ":" + port, 0);
  }

  /**
   * Returns the average number of requests of {@code version} of {@code app} in flight (held ones
   * included) between {@code earlier} and this snapshot; 0 if no time passed.
   */
  public double averageConcurrency(RouterLoad earlier, String app, int version) {
    Objects.requireNonNull(earlier, "earlier");
    long micros = (nanoTime - earlier.nanoTime) / 1000;
    if (micros <= 0) return 0;
    long before = earlier.version(app, version).concurrencyMicros();
    long after = version(app, version).concurrencyMicros();
    return Math.max(0, after - (after < before ? 0 : before)) / (double) micros;
  }

  /**
   * Returns how many requests of {@code version} of {@code app} ended per second between {@code
   * earlier} and this snapshot; 0 if no time passed.
   */
  public double requestsPerSecond(RouterLoad earlier, String app, int version) {
    Objects.requireNonNull(earlier, "earlier");
    long nanos = nanoTime - earlier.nanoTime;
    if (nanos <= 0) return 0;
    long before = earlier.version(app, version).completed();
    long after = version(app, version).completed();
    return (after < before ? after : after - before) * 1e9 / nanos;
  }
}
