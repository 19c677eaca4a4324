package dev.pier.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest sample of each instance of one app. CPU load is derived from the delta of the
 * cumulative CPU counter between consecutive samples. Instances not sampled for {@link #STALE} are
 * forgotten (they were stopped or scaled away).
 */
final class Instances {
  static final Duration STALE = Duration.ofMinutes(2);

  private final ConcurrentHashMap<String, InstanceSample> latest = new ConcurrentHashMap<>();

  void record(String instance, int version, long rss, long cpuNanosTotal, int restarts, Instant now) {
    // Keyed by version too: during rollouts and splits two versions each run a web.1.
    latest.compute(instance + "@" + version, (key, previous) -> {
      double load = 0;
      if (previous != null) {
        long elapsed = Duration.between(previous.time(), now).toNanos();
        long used = cpuNanosTotal - previous.cpuNanosTotal();
        if (elapsed > 0 && used >= 0) load = (double) used / elapsed;
        else if (elapsed <= 0 && used >= 0) load = previous.cpuLoad();
      }
      return new InstanceSample(
          instance, version, Math.max(rss, 0), load, Math.max(cpuNanosTotal, 0), Math.max(restarts, 0), now);
    });
  }

  /** Forgets stale instances, then sums memory and CPU load of the rest. */
  Totals tick(Instant now) {
    Instant cutoff = now.minus(STALE);
    latest.values().removeIf(sample -> sample.time().isBefore(cutoff));
    long rss = 0;
    double cpu = 0;
    for (InstanceSample sample : latest.values()) {
      rss += sample.rssBytes();
      cpu += sample.cpuLoad();
    }
    return new Totals(rss, cpu);
  }

  record Totals(long rssBytes, double cpuLoad) {}

  /** The latest samples, by instance name, then version. */
  List<InstanceSample> list() {
    return latest.values().stream()
        .sorted(Comparator.comparing(InstanceSample::instance).thenComparingInt(InstanceSample::version))
        .toList();
  }
}
