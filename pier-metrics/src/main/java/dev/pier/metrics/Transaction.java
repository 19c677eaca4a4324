package dev.pier.metrics;

import java.util.List;

/**
 * Requests of one route of an app over the last hour (in 10-minute steps, so 50 to 60 minutes):
 * how many, how often (per minute over the time observed, counting at least one minute), how fast
 * (mean and p95 from a histogram), the share that failed with a 5xx, and the slowest of them
 * (slowest first, at most 5, newest first among equals). {@code route} is the normalized path, see {@link
 * Metrics#normalizeRoute(String)}; the overflow route is {@code "(other)"} with method {@code
 * "*"}.
 */
public record Transaction(
    String method,
    String route,
    long count,
    double throughputPerMinute,
    double meanMs,
    long p95Ms,
    double errorRate,
    List<SlowRequest> slowest) {

  public Transaction {
    if (method == null || route == null) throw new NullPointerException("method and route");
    if (count < 0 || !(throughputPerMinute >= 0) || !(meanMs >= 0) || p95Ms < 0) {
      throw new IllegalArgumentException("counts, rates and times must not be negative");
    }
    if (!(errorRate >= 0 && errorRate <= 1)) {
      throw new IllegalArgumentException("error rate must be within 0..1: " + errorRate);
    }
    slowest = List.copyOf(slowest);
  }
}
