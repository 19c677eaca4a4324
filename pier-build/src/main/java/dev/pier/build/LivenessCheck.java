package dev.pier.build;

import java.util.Objects;

/**
 * app.yaml {@code liveness_check}: how a running web instance is probed, as on App Engine
 * flexible. An instance whose {@code path} fails {@code failureThreshold} times in a row is
 * restarted; after failing, {@code successThreshold} passes in a row clear the count.
 *
 * @param path the HTTP path that must answer 2xx (App Engine's default {@code /liveness_check})
 * @param intervalSeconds seconds between probes, 1 to 300 (default 30)
 * @param timeoutSeconds seconds a probe may take, 1 to 300 (default 4)
 * @param failureThreshold failed probes in a row that restart the instance, 1 to 10 (default 4)
 * @param successThreshold passed probes in a row that clear the failures, 1 to 10 (default 2)
 * @param initialDelaySeconds seconds after the instance is up before the first probe, 0 to 3600
 *     (default 300)
 */
public record LivenessCheck(
    String path,
    int intervalSeconds,
    int timeoutSeconds,
    int failureThreshold,
    int successThreshold,
    int initialDelaySeconds) {
  public static final String DEFAULT_PATH = "/liveness_check";

  public LivenessCheck {
    Objects.requireNonNull(path, "path");
  }

  /** Returns {@code GET /healthz every 2 s, restart after 3 failures}. */
  public String describe() {
    return "liveness check GET " + path + " every " + intervalSeconds + " s (timeout " + timeoutSeconds
        + " s), restart after " + failureThreshold + " failure(s) in a row, first check "
        + initialDelaySeconds + " s after ready";
  }
}
