package dev.pier.metrics;

import java.time.Instant;

/** One of the slowest recent requests of a route: the path as requested (without the query). */
public record SlowRequest(String path, long ms, int status, Instant time) {
  public SlowRequest {
    if (path == null || time == null) throw new NullPointerException("path and time are required");
    if (ms < 0) throw new IllegalArgumentException("ms must not be negative");
  }
}
