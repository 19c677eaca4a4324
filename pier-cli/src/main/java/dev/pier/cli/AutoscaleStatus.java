package dev.pier.cli;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One autoscaled process type as {@code GET /apps/{app}/autoscale} lists it (docs/api.md).
 *
 * @param metric {@code concurrency}, {@code rps} or {@code cpu}
 * @param target the per-instance target of {@code metric}
 * @param versions each running version's instances and last decision
 */
record AutoscaleStatus(String type, int min, int max, String metric, BigDecimal target, Long stableWindowSeconds,
    Long scaleDownDelaySeconds, Long idleSeconds, List<VersionScale> versions) {
  AutoscaleStatus {
    versions = versions == null ? List.of() : List.copyOf(versions);
  }

  /**
   * How one version of the type is scaled.
   *
   * @param percent its share of the traffic
   * @param desired the instances the autoscaler wants
   * @param actual the instances that run
   * @param observed the load the last decision saw, or null before the first sample
   * @param mode {@code stable} or {@code panic}
   * @param lastDecision the last decision that changed the count, or null
   */
  record VersionScale(int version, Integer percent, Integer desired, Integer actual, Observed observed, String mode,
      LastDecision lastDecision) {}

  /** The version's load totals: concurrent requests, requests per second and CPU percent. */
  record Observed(Double concurrency, Double rps, Double cpu) {}

  /** A change of the instance count and why. */
  record LastDecision(Instant at, Integer from, Integer to, String reason) {}
}
