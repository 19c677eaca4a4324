package dev.pier.cli;

import java.time.Instant;

/**
 * One running (or starting, crashed, stopping) process instance, as {@code GET /apps/{app}/ps}
 * returns it; {@code version} ({@code "v3"}) is null from servers that predate versions.
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
    Integer restarts) {

  /** Returns the version it runs, such as {@code v3}, or null when the server did not say. */
  String versionLabel() {
    if (version != null && !version.isBlank()) {
      return version;
    }
    return release == null ? null : "v" + release;
  }
}
