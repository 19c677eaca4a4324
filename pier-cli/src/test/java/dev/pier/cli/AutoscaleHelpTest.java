package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The help of the autoscale and ps:type commands: whole sentences, wrapped only between words. */
class AutoscaleHelpTest {
  @TempDir Path home;

  static Stream<Arguments> sentences() {
    return Stream.of(
        Arguments.of("autoscale:enable", List.of(
            "Let Pier choose how many instances of a process type run, between --min and --max.",
            "It aims at one target per instance: concurrent requests (the default, 100), requests per second or CPU percent.",
            "With --min 0 the type stops after --idle without requests and starts again on the next request.",
            "With --min 0: how long without requests before stopping the last instance (default 5m).")),
        Arguments.of("autoscale:disable", List.of(
            "Stop autoscaling a process type.", "It keeps the instance count it has, or runs --count instances.")),
        Arguments.of("autoscale", List.of(
            "Show the autoscaled process types of an app.",
            "For each running version: desired and actual instances, the observed load, the mode and the last decision with its reason.")),
        Arguments.of("ps:type", List.of(
            "Set the instance size of process types, or show them without arguments.",
            "Sizes: basic (256 MB, 0.25 CPU), standard-1x (512 MB, 0.5 CPU), standard-2x (1 GB, 1 CPU) and performance-m (2 GB, 2 CPUs).",
        "A type without a size runs with the operator's memory limit and no CPU cap.")));
  }

  @ParameterizedTest
  @MethodSource("sentences")
  void helpShowsEverySentenceWhole(String command, List<String> sentences) {
    var result = new CliHarness(home).run(command, "--help");

    String joined = result.out().replaceAll("\\s+", " ");
    assertThat(result.exitCode()).isZero();
    assertThat(joined).contains(sentences);
    assertThat(result.out().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
  }
}
