package dev.pier.cli;

import java.time.Instant;

/** One running (or starting, crashed, stopping) process instance, as {@code GET /apps/{app}/ps} returns it. */
record Instance(
    String name,
    String type,
    String state,
    Integer release,
    String command,
    Instant startedAt,
    Long uptimeSeconds,
    Integer restarts) {}
