package dev.pier.cli;

import java.time.Instant;
import java.util.Map;

/** An app as the API returns it ({@code GET /apps/{app}}); {@code release} is null before the first deploy. */
record App(
    String name,
    Instant createdAt,
    String webUrl,
    String gitUrl,
    Integer release,
    Map<String, Integer> formation) {
  App {
    formation = formation == null ? Map.of() : formation;
  }
}
