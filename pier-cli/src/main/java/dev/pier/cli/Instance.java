package dev.pier.cli;

import java.time.Instant;
import java.util.List;

/**
 * One running (or starting, crashed, stopping) process instance, as {@code GET /apps/{app}/ps}
 * returns it; {@code version} ({@code "v3"}) is null from servers that predate versions. {@code
 * reason} says why it is not running ("exited with code 1"), with {@code lastOutput}; {@code
 * restartInSeconds} when a crashed instance starts again. All three are null from older servers
 * and while it runs.
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
    Long restartInSeconds) {

  /** Returns the version it runs, such as {@code v3}, or null when the server did not say. */
  String versionLabel() {
    if (version != null && !version.isBlank()) {
      return version;
    }
    return release == null ? null : "v" + release;
  }
}
