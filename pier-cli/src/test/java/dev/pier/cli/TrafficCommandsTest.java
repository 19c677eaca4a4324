package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TrafficCommandsTest extends FakeApiTest {
  @Test
  void splitSendsTheSharesStreamsTheProgressAndReportsTheNewSplit() {
    var result = cli.run("traffic:split", "v3=90", "v2=10", "--split-by", "cookie", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("""
        Splitting traffic on hello: v3 90%, v2 10% by cookie...
        -----> Starting instances
        -----> Moving traffic
        Traffic on hello is now v3 90%, v2 10%
        """);
    assertThat(api.requests("PUT ")).containsExactly("PUT /apps/hello/traffic");
    assertThat(api.lastBody.toString()).isEqualTo("{\"allocations\":{\"3\":90,\"2\":10},\"split_by\":\"cookie\"}");
    assertThat(cli.run("versions", "-a", "hello").out())
        .contains("split by cookie", "v3  90%", "v2  10%  1 instance  serving");
  }

  @Test
  void splitWithoutSplitByLeavesTheMethodToTheServer() {
    var result = cli.run("traffic:split", "3=100", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(api.lastBody.toString()).isEqualTo("{\"allocations\":{\"3\":100}}");
  }

  @Test
  void aFailedSplitShowsTheOutputAndErrorAndExitsWithOne() {
    api.operationOutput = List.of("-----> Starting v2", "v2 did not answer on its port within 60 s");
    api.operationFailure = "v2 never became ready";

    var result = cli.run("traffic:split", "v3=50", "v2=50", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).contains("v2 did not answer on its port within 60 s").doesNotContain("is now");
    assertThat(result.err()).isEqualTo(" !     Traffic change failed: v2 never became ready\n");
  }

  @Test
  void splitToAVersionThatFailedShowsTheServersConflict() {
    app.releases.get(1).put("state", "failed");

    var result = cli.run("traffic:split", "v3=50", "v2=50", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(" !     version v2 failed; it cannot get traffic\n");
  }

  static Stream<Arguments> badSplits() {
    return Stream.of(
        Arguments.of(List.of("v3=90", "v4"), " !     Invalid traffic share 'v4': use vN=PERCENT, such as v3=90"),
        Arguments.of(List.of("v0=100"), " !     Invalid traffic share 'v0=100': use vN=PERCENT, such as v3=90"),
        Arguments.of(List.of("x3=100"), " !     Invalid traffic share 'x3=100': use vN=PERCENT, such as v3=90"),
        Arguments.of(List.of("v3=90.5", "v4=9.5"),
            " !     Invalid traffic share 'v3=90.5': the percent must be a whole number from 0 to 100"),
        Arguments.of(List.of("v3=110", "v4=-10"),
            " !     Invalid traffic share 'v3=110': the percent must be a whole number from 0 to 100"),
        Arguments.of(List.of("v3=100", "v4=-0"),
            " !     Invalid traffic share 'v4=-0': the percent must be a whole number from 0 to 100"),
        Arguments.of(List.of("v3=ninety"),
            " !     Invalid traffic share 'v3=ninety': the percent must be a whole number from 0 to 100"),
        Arguments.of(List.of("v3=50", "3=50"), " !     Version v3 is given twice: 'v3=50' and '3=50'"),
        Arguments.of(List.of("v3=90", "v4=20"),
            " !     Traffic shares must add up to 100%, but v3=90 v4=20 add up to 110%"),
        Arguments.of(List.of("v3=90"), " !     Traffic shares must add up to 100%, but v3=90 add up to 90%"),
        Arguments.of(List.of(), " !     Give each version's share of the traffic, such as v3=90 v4=10"),
        Arguments.of(List.of("v3=100", "--split-by", "header"),
            " !     Invalid --split-by 'header': use random, cookie or ip"));
  }

  @ParameterizedTest
  @MethodSource("badSplits")
  void aBadSplitIsRefusedBeforeAnyRequest(List<String> arguments, String error) {
    List<String> args = new ArrayList<>(List.of("traffic:split", "-a", "hello"));
    args.addAll(arguments);

    var result = cli.run(args.toArray(String[]::new));

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo(error + "\n");
    assertThat(api.requests).isEmpty();
  }

  @Test
  void migrateMovesAllTrafficToTheVersion() {
    var result = cli.run("traffic:migrate", "v2", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("""
        Migrating traffic on hello to v2...
        -----> Starting instances
        -----> Moving traffic
        All traffic on hello now goes to v2
        """);
    assertThat(api.requests("POST ")).containsExactly("POST /apps/hello/traffic/migrate");
    assertThat(api.lastBody.toString()).isEqualTo("{\"version\":2,\"gradual\":false,\"step_seconds\":5}");
    assertThat(cli.run("versions", "-a", "hello").out()).contains("v2  100%  1 instance  current");
  }

  @Test
  void gradualMigrateSendsTheStepLength() {
    var result = cli.run("traffic:migrate", "2", "--gradual", "--step-seconds", "1", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("Migrating traffic on hello to v2 gradually, 1s per step...\n");
    assertThat(api.lastBody.toString()).isEqualTo("{\"version\":2,\"gradual\":true,\"step_seconds\":1}");
  }

  @Test
  void aFailedMigrateExitsWithOne() {
    api.operationFailure = "v2 never became ready";

    var result = cli.run("traffic:migrate", "v2", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(" !     Traffic migration failed: v2 never became ready\n");
  }

  @Test
  void migrateWithABadVersionOrStepSendsNothing() {
    var version = cli.run("traffic:migrate", "newest", "-a", "hello");
    var step = cli.run("traffic:migrate", "v2", "--gradual", "--step-seconds", "0", "-a", "hello");

    assertThat(version.exitCode()).isEqualTo(1);
    assertThat(version.err()).isEqualTo(" !     Invalid version 'newest': use vN or N, such as v3\n");
    assertThat(step.exitCode()).isEqualTo(1);
    assertThat(step.err()).isEqualTo(" !     Invalid --step-seconds 0: use a whole number of seconds, 1 or more\n");
    assertThat(api.requests).isEmpty();
  }
}
