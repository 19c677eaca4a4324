package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PsCommandsTest extends FakeApiTest {
  @Test
  void psGroupsInstancesByProcessType() {
    api.apps.get("hello").formation.put("web", 2);
    api.apps.get("hello").formation.put("worker", 1);

    var result = cli.run("ps", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("""
        === web (2): npm start
        web.1: up 2026/11/27 05:31:00 (~ 42s ago) v3
        web.2: up 2026/11/27 05:31:00 (~ 42s ago) v3

        === worker (1): node worker.js
        worker.1: up 2026/11/27 05:31:00 (~ 42s ago) v3
        """);
  }

  @Test
  void psSaysWhyAnInstanceCrashedWhenItRestartsAndWhatItPrintedLast() {
    api.apps.get("hello").formation.put("web", 2);
    var crashed = Json.MAPPER.createObjectNode()
        .put("state", "crashed").put("reason", "exited with code 3").put("restart_in_seconds", 40)
        .put("restarts", 2);
    crashed.putArray("last_output").add("starting").add("Error: boom");
    api.apps.get("hello").instanceFields.put("web.2", crashed);

    var result = cli.run("ps", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("""
        === web (2): npm start
        web.1: up 2026/11/27 05:31:00 (~ 42s ago) v3
        web.2: crashed, restarting in 40 s (exited with code 3) 2026/11/27 05:31:00 (~ 42s ago) v3, restarted 2 times
            starting
            Error: boom
        """);
  }

  @Test
  void psSaysAnInstanceBeingStoppedIsStoppedByThePlatform() {
    api.apps.get("hello").instanceFields.put("web.1", Json.MAPPER.createObjectNode()
        .put("state", "stopping").put("reason", "stopped by the platform"));

    assertThat(cli.run("ps", "-a", "hello").out())
        .contains("web.1: stopping (stopped by the platform) 2026/11/27 05:31:00 (~ 42s ago) v3\n");
  }

  @Test
  void psShowsTheMemoryEachInstanceUsesOfItsLimitAndHowLongItTookToBoot() {
    app.sizes.put("web", "basic");
    app.formation.put("web", 2);
    app.instanceFields.put("web.1", Json.MAPPER.createObjectNode()
        .put("boot_millis", 312).put("memory_used_mb", 112).put("memory_limit_mb", 256).put("cpus", 0.25));
    app.instanceFields.put("web.2", Json.MAPPER.createObjectNode()
        .put("boot_millis", 12_345).put("memory_used_mb", 1500).put("memory_limit_mb", 2048));

    var result = cli.run("ps", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("""
        === web (2, basic): npm start
        web.1: up 2026/11/27 05:31:00 (~ 42s ago) v3, booted in 312 ms, 112 MB / 256 MB
        web.2: up 2026/11/27 05:31:00 (~ 42s ago) v3, booted in 12.3 s, 1500 MB / 2 GB
        """);
  }

  @Test
  void psShowsMemoryWithoutALimitWhenTheServerKnowsNone() {
    app.instanceFields.put("web.1", Json.MAPPER.createObjectNode().put("memory_used_mb", 40));

    assertThat(cli.run("ps", "-a", "hello").out()).contains("web.1: up 2026/11/27 05:31:00 (~ 42s ago) v3, 40 MB\n");
  }

  @Test
  void psNamesTheMemoryLimitAndExitCodeOfAnInstanceKilledForMemory() {
    var killed = Json.MAPPER.createObjectNode()
        .put("state", "crashed").put("reason", "killed: out of memory (limit 256 MB)").put("exit_code", 137)
        .put("restart_in_seconds", 2).put("restarts", 1).put("memory_limit_mb", 256);
    killed.putArray("last_output").add("allocated 240 MB");
    app.instanceFields.put("web.1", killed);

    assertThat(cli.run("ps", "-a", "hello").out()).contains("""
        web.1: crashed, restarting in 2 s (killed: out of memory (limit 256 MB), exit code 137) \
        2026/11/27 05:31:00 (~ 42s ago) v3, restarted 1 time
            allocated 240 MB
        """);
  }

  @Test
  void psDoesNotRepeatAnExitCodeTheReasonAlreadyNames() {
    app.instanceFields.put("web.1", Json.MAPPER.createObjectNode()
        .put("state", "crashed").put("reason", "exited with code 3").put("exit_code", 3));

    assertThat(cli.run("ps", "-a", "hello").out())
        .contains("web.1: crashed (exited with code 3) 2026/11/27 05:31:00 (~ 42s ago) v3\n");
  }

  @Test
  void psShowsTheExitCodeOfACompletedTaskThatHasNoReason() {
    app.instanceFields.put("web.1", Json.MAPPER.createObjectNode().put("state", "completed").put("exit_code", 0));

    assertThat(cli.run("ps", "-a", "hello").out())
        .contains("web.1: completed (exit code 0) 2026/11/27 05:31:00 (~ 42s ago) v3\n");
  }

  @Test
  void psHeaderNamesNoSizeForTypesOfTheDefaultSizeOrWhenTheServerCannotSay() {
    app.sizes.put("web", "default");
    assertThat(cli.run("ps", "-a", "hello").out()).startsWith("=== web (1): npm start\n");

    api.sizesUnavailable = true;
    var result = cli.run("ps", "-a", "hello");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("=== web (1): npm start\n");
  }

  @Test
  void psWithJsonAsksOnlyForTheInstances() {
    cli.run("ps", "-a", "hello", "--json");

    assertThat(api.requests("GET ")).containsExactly("GET /apps/hello/ps");
  }

  @Test
  void psOfAnAppWithoutInstancesSaysSo() {
    api.apps.get("hello").formation.put("web", 0);

    assertThat(cli.run("ps", "-a", "hello").out()).isEqualTo("No dynos on hello\n");
  }

  @Test
  void psWithJsonPrintsTheApiJson() {
    var result = cli.run("ps", "-a", "hello", "--json");

    assertThat(result.out()).startsWith("[ {").contains("\"name\" : \"web.1\"");
  }

  @Test
  void scaleChangesTheFormationAndReportsIt() {
    var result = cli.run("ps:scale", "web=2", "worker=1", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Scaling dynos... done, now running web at 2, worker at 1\n");
    assertThat(api.apps.get("hello").formation).containsEntry("web", 2).containsEntry("worker", 1);
  }

  @Test
  void scaleWithoutArgumentsShowsTheFormation() {
    assertThat(cli.run("ps:scale", "-a", "hello").out()).isEqualTo("web=1 worker=0\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"web=-1", "web", "web=two", "=2", "Web=1"})
  void scaleWithABadArgumentFailsWithoutCallingTheServer(String argument) {
    var result = cli.run("ps:scale", "worker=1", argument, "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(" !     Invalid scale argument '" + argument + "': use TYPE=COUNT\n");
    assertThat(api.requests).isEmpty();
  }

  @Test
  void scaleOfAnUnknownTypeShowsTheServersDetail() {
    var result = cli.run("ps:scale", "clock=1", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(" !     release v3 has no process type 'clock'\n");
  }

  @Test
  void restartOfOneInstanceRestartsOnlyThatOne() {
    api.apps.get("hello").formation.put("web", 2);

    var result = cli.run("ps:restart", "web.2", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Restarting dyno web.2 on hello... done: web.2\n");
  }

  @Test
  void restartWithoutArgumentsRestartsEverything() {
    api.apps.get("hello").formation.put("web", 2);

    var result = cli.run("ps:restart", "-a", "hello");

    assertThat(result.out()).isEqualTo("Restarting all dynos on hello... done: web.1, web.2\n");
  }

  @Test
  void psShowsTheVersionEachInstanceRuns() {
    api.apps.get("hello").instanceVersion = "v4";

    assertThat(cli.run("ps", "-a", "hello").out()).contains("web.1: up 2026/11/27 05:31:00 (~ 42s ago) v4\n");
  }

  @Test
  void psFallsBackToTheReleaseWhenTheServerSendsNoVersion() {
    api.apps.get("hello").instanceVersion = "";

    assertThat(cli.run("ps", "-a", "hello").out()).contains("web.1: up 2026/11/27 05:31:00 (~ 42s ago) v3\n");
  }

  /** v3 serves 90% on web=2, v2 serves 10% on web=1: web.1 runs in both. */
  private void splitBetweenV3AndV2() {
    api.apps.get("hello").formation.put("web", 2);
    api.apps.get("hello").releases.get(0).put("percent", 90);
    api.apps.get("hello").releases.get(1).put("state", "serving").put("percent", 10).put("running", true)
        .put("instances", 1);
    api.apps.get("hello").otherVersionInstances.add(Json.MAPPER.createObjectNode()
        .put("name", "web.1").put("type", "web").put("state", "up").put("release", 2).put("version", "v2")
        .put("command", "npm start").put("started_at", "2026-11-27T05:30:00Z").put("uptime_seconds", 102)
        .put("restarts", 0));
  }

  @Test
  void psGroupsTheInstancesOfEachRunningVersionUnderTheirOwnHeaderWithTheirShare() {
    splitBetweenV3AndV2();

    var result = cli.run("ps", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("""
        === web (2) v3 (90% of traffic): npm start
        web.1@v3: up 2026/11/27 05:31:00 (~ 42s ago) v3
        web.2@v3: up 2026/11/27 05:31:00 (~ 42s ago) v3

        === web (1) v2 (10% of traffic): npm start
        web.1@v2: up 2026/11/27 05:30:00 (~ 1m ago) v2
        """);
  }

  @Test
  void psOfASingleVersionAsksNothingAboutVersions() {
    api.apps.get("hello").formation.put("web", 1);

    cli.run("ps", "-a", "hello");

    assertThat(api.requests).noneMatch(r -> r.contains("/versions"));
  }

  @Test
  void restartOfAnInstanceNamedWithItsVersionRestartsOnlyThatOne() {
    splitBetweenV3AndV2();

    var result = cli.run("ps:restart", "web.1@v2", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("Restarting dyno web.1@v2 on hello... done: web.1@v2\n");
  }
}
