package dev.pier.app;

import java.util.List;
import java.util.random.RandomGenerator;

/** Generates Heroku-style app names such as {@code calm-harbor-4821}. */
final class NameGenerator {
  private static final List<String> ADJECTIVES =
      List.of(
          "calm", "brave", "quiet", "swift", "bright", "gentle", "bold", "misty", "sunny", "frosty",
          "golden", "silent", "lively", "rapid", "polar", "vast", "warm", "young", "ancient", "shiny");
  private static final List<String> NOUNS =
      List.of(
          "harbor", "river", "meadow", "summit", "forest", "island", "canyon", "beacon", "lagoon",
          "glacier", "valley", "ridge", "tide", "breeze", "dune", "reef", "pier", "cove", "delta", "bay");

  private final RandomGenerator random;

  NameGenerator(RandomGenerator random) {
    this.random = random;
  }

  String next() {
    return ADJECTIVES.get(random.nextInt(ADJECTIVES.size()))
        + "-"
        + NOUNS.get(random.nextInt(NOUNS.size()))
        + "-"
        + (1000 + random.nextInt(9000));
  }
}
