package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AutoscaleCommandsTest extends FakeApiTest {
  @Test
  void enableSendsEverythingGivenAndReportsTheRange() {
    var result = cli.run("autoscale:enable", "web", "--min", "0", "--max", "10", "--target-concurrency", "10",
        "--stable-window", "60s", "--scale-down-delay", "0s", "--idle", "5m", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(api.requests("PUT ")).containsExactly("PUT /apps/hello/autoscale/web");
    assertThat(api.lastBody.toString()).isEqualTo("{\"min\":0,\"max\":10,\"target_concurrency\":10,"
        + "\"stable_window_seconds\":60,\"scale_down_delay_seconds\":0,\"idle_seconds\":300}");
    assertThat(result.out())
        .isEqualTo("Autoscaling web of hello between 0 and 10 instances, target 10 concurrent requests per instance\n");
  }

  @Test
  void enableSendsOnlyWhatWasGivenAndTheServerAppliesTheDefaultTarget() {
    var result = cli.run("autoscale:enable", "web", "--min", "1", "--max", "4", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(api.lastBody.toString()).isEqualTo("{\"min\":1,\"max\":4}");
    assertThat(result.out())
        .isEqualTo("Autoscaling web of hello between 1 and 4 instances, target 100 concurrent requests per instance\n");
  }

  @Test
  void enableWithAnRpsOrCpuTargetSaysSo() {
    var rps = cli.run("autoscale:enable", "web", "--min", "1", "--max", "3", "--target-rps", "12.5", "-a", "hello");
    String rpsBody = api.lastBody.toString();
    var cpu = cli.run("autoscale:enable", "worker", "--min", "1", "--max", "3", "--target-cpu", "70", "-a", "hello");

    assertThat(rpsBody).isEqualTo("{\"min\":1,\"max\":3,\"target_rps\":12.5}");
    assertThat(rps.out()).isEqualTo("Autoscaling web of hello between 1 and 3 instances, target 12.5 requests/s per instance\n");
    assertThat(api.lastBody.toString()).isEqualTo("{\"min\":1,\"max\":3,\"target_cpu\":70}");
    assertThat(cpu.out()).isEqualTo("Autoscaling worker of hello between 1 and 3 instances, target 70% CPU per instance\n");
  }

  static Stream<Arguments> badEnables() {
    return Stream.of(
        Arguments.of(List.of("--min", "-1", "--max", "3"), " !     Invalid --min -1: use 0 or more"),
        Arguments.of(List.of("--min", "5", "--max", "2"), " !     --min 5 is above --max 2"),
        Arguments.of(List.of("--min", "0", "--max", "0"), " !     Invalid --max 0: use 1 or more"),
        Arguments.of(List.of("--min", "0", "--max", "3", "--target-concurrency", "10", "--target-rps", "5"),
            " !     Give one target, not --target-concurrency and --target-rps: an autoscaled type follows one metric"),
        Arguments.of(List.of("--min", "0", "--max", "3", "--target-cpu", "0"),
            " !     Invalid --target-cpu 0: use a number above 0"),
        Arguments.of(List.of("--min", "0", "--max", "3", "--idle", "5x"),
            " !     Invalid --idle '5x': use a duration such as 90s, 5m or 1h"),
        Arguments.of(List.of("--min", "0", "--max", "3", "--stable-window", "-60s"),
            " !     Invalid --stable-window '-60s': use a duration such as 90s, 5m or 1h"));
  }

  @ParameterizedTest
  @MethodSource("badEnables")
  void enableWithBadOptionsFailsWithoutCallingTheServer(List<String> options, String message) {
    List<String> args = new java.util.ArrayList<>(List.of("autoscale:enable", "web", "-a", "hello"));
    args.addAll(options);

    var result = cli.run(args.toArray(String[]::new));

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(message + "\n");
    assertThat(api.requests).isEmpty();
  }

  @Test
  void enableOfABadlyNamedTypeFailsWithoutCallingTheServer() {
    var result = cli.run("autoscale:enable", "../web", "--min", "0", "--max", "3", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(
        " !     Invalid process type '../web': use a lowercase name from the Procfile, such as web or worker\n");
    assertThat(api.requests).isEmpty();
  }

  @Test
  void enableWithoutMaxIsAUsageError() {
    var result = cli.run("autoscale:enable", "web", "--min", "0", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("Missing required option: '--max=N'");
  }

  @Test
  void enableShowsTheServersProblem() {
    var result = cli.run("autoscale:enable", "clock", "--min", "0", "--max", "3", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(" !     release v3 has no process type 'clock'\n");
  }

  @Test
  void enableAboveTheServersMaxShowsItsMessage() {
    var result = cli.run("autoscale:enable", "web", "--min", "0", "--max", "101", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(" !     max must be between 1 and 100, got 101\n");
  }

  @Test
  void disableWithACountSendsItAndSaysWhatRuns() {
    cli.run("autoscale:enable", "web", "--min", "0", "--max", "3", "-a", "hello");

    var result = cli.run("autoscale:disable", "web", "--count", "3", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(api.requests("DELETE ")).containsExactly("DELETE /apps/hello/autoscale/web?count=3");
    assertThat(result.out()).isEqualTo("Autoscaling of web on hello is off; web now runs 3 instances\n");
    assertThat(app.formation).containsEntry("web", 3);
  }

  @Test
  void disableWithoutACountKeepsTheCurrentCount() {
    cli.run("autoscale:enable", "web", "--min", "0", "--max", "3", "-a", "hello");

    var result = cli.run("autoscale:disable", "web", "-a", "hello");

    assertThat(api.requests("DELETE ")).containsExactly("DELETE /apps/hello/autoscale/web");
    assertThat(result.out()).isEqualTo("Autoscaling of web on hello is off; web keeps 1 instance\n");
  }

  @Test
  void disableOfATypeThatDoesNotAutoscaleShowsTheServersProblem() {
    var result = cli.run("autoscale:disable", "web", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(" !     web of hello does not autoscale\n");
  }

  @Test
  void disableWithANegativeCountFailsWithoutCallingTheServer() {
    var result = cli.run("autoscale:disable", "web", "--count", "-2", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(" !     Invalid --count -2: use 0 or more\n");
    assertThat(api.requests).isEmpty();
  }

  @Test
  void autoscaleWithoutAutoscaledTypesSaysSo() {
    assertThat(cli.run("autoscale", "-a", "hello").out()).isEqualTo("No process type of hello autoscales\n");
  }

  private void webAutoscalesWithTwoVersions() {
    cli.run("autoscale:enable", "web", "--min", "0", "--max", "10", "--target-concurrency", "10", "-a", "hello");
    ObjectNode web = app.autoscale.get("web");
    ObjectNode v3 = web.withArray("versions").addObject().put("version", 3).put("percent", 90).put("desired", 2)
        .put("actual", 2).put("mode", "stable");
    v3.putObject("observed").put("concurrency", 3.2).put("rps", 12.1).put("cpu", 40.0);
    v3.putObject("last_decision").put("at", "2026-12-07T05:00:00Z").put("from", 1).put("to", 2)
        .put("reason", "stable: 13.0 concurrent over 60 s is 130% of target 10 for 1 instance(s) -> 2");
    web.withArray("versions").addObject().put("version", 4).put("percent", 10).put("desired", 1).put("actual", 0)
        .put("mode", "panic").putNull("observed").putNull("last_decision");
  }

  @Test
  void autoscaleShowsEachVersionsInstancesLoadModeAndLastDecision() {
    webAutoscalesWithTwoVersions();

    var result = cli.run("autoscale", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("""
        === web: 0 to 10 instances, target 10 concurrent requests per instance
        stable window 1m, scale-down delay 0s, to zero after 5m without requests
        v3 (90% of traffic): 2 desired, 2 actual, stable
          Observed:      3.2 concurrent, 12.1 requests/s, 40.0% CPU
          Last decision: 2026/12/07 05:00:00 1 -> 2 (stable: 13.0 concurrent over 60 s is 130% of target 10 for 1 instance(s) -> 2)
        v4 (10% of traffic): 1 desired, 0 actual, panic
          Observed:      no load seen yet
          Last decision: none yet
        """);
  }

  @Test
  void autoscaleListsEveryAutoscaledTypeAndLeavesOutTheIdleGraceAboveZero() {
    cli.run("autoscale:enable", "web", "--min", "0", "--max", "10", "-a", "hello");
    cli.run("autoscale:enable", "worker", "--min", "2", "--max", "5", "--target-cpu", "60",
        "--scale-down-delay", "90s", "-a", "hello");

    var result = cli.run("autoscale", "-a", "hello");

    assertThat(result.out()).isEqualTo("""
        === web: 0 to 10 instances, target 100 concurrent requests per instance
        stable window 1m, scale-down delay 0s, to zero after 5m without requests
        No version of web runs

        === worker: 2 to 5 instances, target 60% CPU per instance
        stable window 1m, scale-down delay 90s
        No version of worker runs
        """);
  }

  @Test
  void autoscaleWithJsonPrintsTheApiJson() {
    webAutoscalesWithTwoVersions();

    var result = cli.run("autoscale", "-a", "hello", "--json");

    assertThat(result.exitCode()).isZero();
    assertThat(Json.parseOrNull(result.out())).isEqualTo(Json.MAPPER.valueToTree(app.autoscale.values()));
    assertThat(result.out()).contains("\"last_decision\" : {", "\"mode\" : \"panic\"");
  }

  @Test
  void autoscaleOfAnUnknownAppShowsTheServersProblem() {
    var result = cli.run("autoscale", "-a", "nope-app");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(" !     app 'nope-app' not found\n");
  }
}
