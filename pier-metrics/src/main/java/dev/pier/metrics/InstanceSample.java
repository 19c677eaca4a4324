package dev.pier.metrics;

import java.time.Instant;

/**
 * The latest sample of one app instance. {@code cpuLoad} is CPU seconds per second between the
 * last two samples (1.0 = one full core); it is 0 after the first sample and after the cumulative
 * counter went backwards (the process was replaced).
 */
public record InstanceSample(
    String instance,
    int version,
    long rssBytes,
    double cpuLoad,
    long cpuNanosTotal,
    int restarts,
    Instant time) {

  public InstanceSample {
    if (instance == null || time == null) throw new NullPointerException("instance and time");
    if (rssBytes < 0 || !(cpuLoad >= 0) || cpuNanosTotal < 0 || restarts < 0) {
      throw new IllegalArgumentException("instance figures must not be negative");
    }
  }
}
