package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RollbackCommandTest extends FakeApiTest {
  @Test
  void rollbackToAVersionStreamsTheRolloutAndNamesTheNewRelease() {
    var result = cli.run("rollback", "v1", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("""
        Rolling back hello to v1...
        -----> Starting instances
        -----> Moving traffic
        Rolled back to v1 as v4
        """);
    assertThat(api.lastBody.toString()).isEqualTo("{\"version\":1}");
    assertThat(api.requests("POST ")).containsExactly("POST /apps/hello/rollback");
    assertThat(cli.run("releases", "-a", "hello").out()).contains("v4  Rollback to v1");
  }

  @Test
  void rollbackAcceptsABareNumber() {
    var result = cli.run("rollback", "2", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).endsWith("Rolled back to v2 as v4\n");
    assertThat(api.lastBody.toString()).isEqualTo("{\"version\":2}");
  }

  @Test
  void rollbackWithoutAVersionLetsTheServerPickThePreviousRelease() {
    var result = cli.run("rollback", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(api.lastBody.toString()).isEqualTo("{}");
    assertThat(result.out()).startsWith("Rolling back hello to the previous release...\n")
        .endsWith("Rolled back to the previous release as v4\n");
  }

  @Test
  void aFailedRollbackShowsTheOutputAndTheErrorAndExitsWithOne() {
    api.operationOutput = java.util.List.of("-----> Starting v4", "Error: Cannot find module 'express'");
    api.operationFailure = "v4 never became ready; v3 keeps serving";

    var result = cli.run("rollback", "v1", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).contains("Error: Cannot find module 'express'").doesNotContain("Rolled back");
    assertThat(result.err()).isEqualTo(" !     Rollback failed: v4 never became ready; v3 keeps serving\n");
  }

  @Test
  void rollbackToAReleaseWhoseSlugIsGoneShowsTheConflict() {
    api.apps.get("hello").releases.get(2).put("slug_available", false);

    var result = cli.run("rollback", "v1", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(" !     the slug of v1 is gone\n");
  }

  @Test
  void rollbackToAnUnknownReleaseShowsTheServersDetail() {
    var result = cli.run("rollback", "v42", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(" !     release v42 not found\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"previous", "v0", "0", "-1", "v3.1", "vv3", "3a"})
  void rollbackToSomethingThatIsNotAVersionSendsNothing(String argument) {
    var result = cli.run("rollback", argument, "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo(" !     Invalid version '" + argument + "': use vN or N, such as v3\n");
    assertThat(api.requests).isEmpty();
  }
}
