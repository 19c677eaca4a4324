package dev.pier.metrics;

import java.time.Duration;
import java.time.Instant;

/**
 * One point of an app's series: the requests that finished in the window ending at {@code time}
 * and lasting {@code resolution} (10 s or 1 min), all versions together, plus the app's instances
 * at that time: total resident memory and total CPU load (CPU seconds per second, summed over the
 * instances; averaged over the window for 1-minute points).
 */
public record Point(
    Instant time, Duration resolution, Stats stats, long memoryRssBytes, double cpuLoad) {

  public Point {
    if (time == null || resolution == null || stats == null) {
      throw new NullPointerException("time, resolution and stats are required");
    }
    if (memoryRssBytes < 0 || !(cpuLoad >= 0)) {
      throw new IllegalArgumentException("memory and cpu load must not be negative");
    }
  }
}
