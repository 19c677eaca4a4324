package dev.pier.cli;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One running (or starting, crashed, stopping) process instance, as {@code GET /apps/{app}/ps}
 * returns it; {@code version} ({@code "v3"}) is null from servers that predate versions. {@code
 * reason} says why it is not running ("exited with code 1"), with {@code lastOutput} and {@code
 * exitCode}; {@code restartInSeconds} when a crashed instance starts again. {@code bootMillis} is
 * its last cold start (process start to ready), {@code memoryUsedMb} of {@code memoryLimitMb}
 * what it uses now. All of these are null from older servers, and when not known.
 */
record Instance(
    String name,
    String type,
    String state,
    Integer release,
    String version,
    String command,
    Instant startedAt,
    Long uptimeSeconds,
    Integer restarts,
    String reason,
    List<String> lastOutput,
    Long restartInSeconds,
    Integer exitCode,
    Long bootMillis,
    Long memoryUsedMb,
    Long memoryLimitMb,
    Double cpus,
    Boolean oneOff) {

  /** True for a one-off process ({@code pier run}) or a scheduled run: no part of the formation. */
  boolean isOneOff() {
    return Boolean.TRUE.equals(oneOff);
  }

  /** Returns the version it runs, such as {@code v3}, or null when the server did not say. */
  String versionLabel() {
    if (version != null && !version.isBlank()) {
      return version;
    }
    return release == null ? null : "v" + release;
  }

  /**
   * Returns why it is not running with its exit code, {@code "exited with code 3"} or {@code
   * "killed: out of memory (limit 256 MB), exit code 137"}; null when there is no reason.
   */
  String reasonWords() {
    boolean hasReason = reason != null && !reason.isBlank();
    if (!hasReason) {
      return exitCode == null ? null : "exit code " + exitCode;
    }
    if (exitCode == null || reason.contains("code " + exitCode)) {
      return reason;
    }
    return reason + ", exit code " + exitCode;
  }

  /** Returns {@code "112 MB / 256 MB"}, {@code "112 MB"} without a limit, or null when unknown. */
  String memoryWords() {
    if (memoryUsedMb == null) {
      return null;
    }
    return memoryLimitMb == null ? memoryUsedMb + " MB" : memoryUsedMb + " MB / " + megabytes(memoryLimitMb);
  }

  /** Returns {@code "booted in 312 ms"} or {@code "booted in 12.5 s"}, or null when unknown. */
  String bootWords() {
    if (bootMillis == null) {
      return null;
    }
    if (bootMillis < 10_000) {
      return "booted in " + bootMillis + " ms";
    }
    return String.format(Locale.ROOT, "booted in %.1f s", bootMillis / 1000.0);
  }

  private static String megabytes(long mb) {
    return mb >= 1024 && mb % 1024 == 0 ? mb / 1024 + " GB" : mb + " MB";
  }
}
