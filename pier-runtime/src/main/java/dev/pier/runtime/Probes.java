package dev.pier.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * How a web instance's health is checked over HTTP beyond its readiness path (app.yaml {@code
 * readiness_check.check_interval_sec} and {@code liveness_check}).
 *
 * @param readinessInterval time between GETs of the readiness path while the instance starts, or
 *     null for quick polling (5 ms, then 50 ms)
 * @param liveness the probe of a running instance, or null for none (the default: an instance is
 *     restarted only when it exits)
 */
public record Probes(Duration readinessInterval, Liveness liveness) {
  /** Quick readiness polling and no liveness probe. */
  public static final Probes NONE = new Probes(null, null);

  public Probes {
    if (readinessInterval != null && (readinessInterval.isNegative() || readinessInterval.isZero())) {
      throw new IllegalArgumentException("readiness interval must be positive: " + readinessInterval);
    }
  }

  /**
   * A periodic GET of a running instance: {@code failureThreshold} failures in a row (no 2xx
   * within {@code timeout}) restart it; after a failure, {@code successThreshold} passes in a row
   * clear the count. The first probe is {@code initialDelay} after the instance is up.
   */
  public record Liveness(String path, Duration interval, Duration timeout, int failureThreshold,
      int successThreshold, Duration initialDelay) {
    public Liveness {
      Objects.requireNonNull(path, "path");
      if (!path.startsWith("/")) throw new IllegalArgumentException("liveness path must start with '/': " + path);
      if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("interval must be positive");
      if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
      if (failureThreshold < 1 || successThreshold < 1) throw new IllegalArgumentException("thresholds must be 1 or more");
      if (initialDelay.isNegative()) throw new IllegalArgumentException("negative initial delay");
    }
  }
}
