package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionsCommandsTest extends FakeApiTest {
  /** v3 current with 90%, v2 serving 10% on two instances, v1 stopped. */
  private void splitBetweenV3AndV2() {
    app.releases.get(0).put("percent", 90);
    app.releases.get(1).put("state", "serving").put("percent", 10).put("running", true).put("instances", 2);
    app.splitBy = "cookie";
  }

  @Test
  void versionsListsEachRunningVersionWithItsShareInstancesStateAndUrl() {
    splitBetweenV3AndV2();

    var result = cli.run("versions", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("""
        === hello Versions - traffic split by cookie
        v3  90%  1 instance   current  http://v3.hello.localhost:8080/
        v2  10%  2 instances  serving  http://v2.hello.localhost:8080/
        """);
  }

  @Test
  void versionsWithJsonPrintsTheApiJson() {
    var result = cli.run("versions", "-a", "hello", "--json");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("{").contains("\"split_by\" : \"random\"", "\"version\" : 3");
  }

  @Test
  void versionsOfAnAppWithNothingRunningSaysSo() {
    app.releases.get(0).put("running", false).put("percent", 0);

    assertThat(cli.run("versions", "-a", "hello").out())
        .isEqualTo("=== hello Versions - traffic split by random\nNo versions running on hello\n");
  }

  @Test
  void stoppingAVersionWithoutTrafficStopsIt() {
    app.releases.get(1).put("state", "running").put("running", true).put("instances", 1);

    var result = cli.run("versions:stop", "v2", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Stopping v2... done\n");
    assertThat(api.requests("POST ")).containsExactly("POST /apps/hello/versions/2/stop");
    assertThat(app.releases.get(1).get("state").asText()).isEqualTo("stopped");
  }

  @Test
  void stoppingAVersionThatStillHasTrafficShowsTheConflict() {
    splitBetweenV3AndV2();

    var result = cli.run("versions:stop", "2", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEqualTo("Stopping v2... !\n");
    assertThat(result.err()).isEqualTo(" !     version v2 still has 10% of the traffic; move it first\n");
  }

  @Test
  void startingAStoppedVersionStartsIt() {
    var result = cli.run("versions:start", "v1", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Starting v1... done\n");
    assertThat(cli.run("versions", "-a", "hello").out()).containsPattern("\nv1  0% +1 instance  running  http://v1.hello.localhost:8080/\n");
  }

  @Test
  void startingAVersionWhoseSlugIsGoneShowsTheConflict() {
    app.releases.get(2).put("slug_available", false);

    var result = cli.run("versions:start", "v1", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(" !     version v1 cannot start: its slug is gone\n");
  }

  @Test
  void stopOrStartOfSomethingThatIsNotAVersionSendsNothing() {
    var stop = cli.run("versions:stop", "all", "-a", "hello");
    var start = cli.run("versions:start", "v", "-a", "hello");

    assertThat(stop.exitCode()).isEqualTo(1);
    assertThat(stop.err()).isEqualTo(" !     Invalid version 'all': use vN or N, such as v3\n");
    assertThat(start.exitCode()).isEqualTo(1);
    assertThat(start.err()).isEqualTo(" !     Invalid version 'v': use vN or N, such as v3\n");
    assertThat(api.requests).isEmpty();
  }
}
