package dev.pier.cli;

import java.time.Instant;

/**
 * One version of an app (a release that runs instances or has traffic), as
 * {@code GET /apps/{app}/versions} returns it.
 *
 * @param percent its share of the public traffic, 0 to 100
 * @param versionUrl where it answers on its own, such as {@code http://v4.hello.localhost:8080/}
 */
record Version(
    int version,
    Integer percent,
    String state,
    Integer instances,
    Boolean running,
    String versionUrl,
    Instant createdAt,
    String description) {}
