package dev.pier.metrics;

import org.HdrHistogram.AbstractHistogram;

/**
 * Service-time percentiles of a set of requests, in milliseconds, read from an HdrHistogram with
 * 3 significant digits (so a percentile is within 0.1% of the true value). All zero when the set
 * is empty.
 */
public record Latency(long p50Ms, long p95Ms, long p99Ms, long maxMs, double meanMs) {
  /** The latency of no requests at all. */
  public static final Latency NONE = new Latency(0, 0, 0, 0, 0);

  public Latency {
    if (p50Ms < 0 || p50Ms > p95Ms || p95Ms > p99Ms || p99Ms > maxMs || !(meanMs >= 0)) {
      throw new IllegalArgumentException(
          "percentiles must be non-negative and ordered: " + p50Ms + "/" + p95Ms + "/" + p99Ms
              + "/" + maxMs + " mean " + meanMs);
    }
  }

  /** Reads the percentiles of a histogram of millisecond values. */
  static Latency of(AbstractHistogram histogram) {
    if (histogram.getTotalCount() == 0) return NONE;
    long p50 = histogram.getValueAtPercentile(50);
    long p95 = Math.max(p50, histogram.getValueAtPercentile(95));
    long p99 = Math.max(p95, histogram.getValueAtPercentile(99));
    long max = Math.max(p99, histogram.getMaxValue());
    return new Latency(p50, p95, p99, max, histogram.getMean());
  }
}
