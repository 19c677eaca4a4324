package dev.pier.metrics;

import java.time.Duration;

/**
 * Request totals over a period: count, rate, latency percentiles, status classes and response
 * bytes. {@code errorRate} is the share of 5xx responses (0 when there were no requests).
 */
public record Stats(
    long requests,
    double requestsPerMinute,
    Latency latency,
    StatusCounts status,
    long bytes,
    double errorRate) {

  public Stats {
    if (requests < 0 || bytes < 0 || !(requestsPerMinute >= 0)) {
      throw new IllegalArgumentException("requests, rate and bytes must not be negative");
    }
    if (latency == null || status == null) throw new NullPointerException("latency and status");
    if (!(errorRate >= 0 && errorRate <= 1)) {
      throw new IllegalArgumentException("error rate must be within 0..1: " + errorRate);
    }
  }

  /** Builds stats for requests observed during {@code period}, deriving rate and error rate. */
  static Stats of(long requests, Duration period, Latency latency, StatusCounts status, long bytes) {
    double minutes = Math.max(period.toMillis(), 1) / 60_000.0;
    double errorRate = requests == 0 ? 0 : Math.min(1, (double) status.s5xx() / requests);
    return new Stats(requests, requests / minutes, latency, status, bytes, errorRate);
  }
}
