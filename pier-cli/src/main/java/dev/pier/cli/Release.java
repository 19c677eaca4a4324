package dev.pier.cli;

import java.time.Instant;
import java.util.Map;

/** One release of an app, as {@code GET /apps/{app}/releases} returns it. */
record Release(
    int version,
    String description,
    Instant createdAt,
    String createdBy,
    Map<String, String> processes,
    boolean current) {}
