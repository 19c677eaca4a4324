package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DoctorCommandTest extends FakeApiTest {
  @Test
  void aConsistentPlatformSaysSoAndExitsZero() {
    var result = cli.run("doctor");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("""
        === Repaired at the last start
        Nothing: the last stop left everything consistent.

        === Now
        Everything agrees: database, git repositories and files.
        """);
    assertThat(api.requests).containsExactly("GET /doctor");
  }

  @Test
  void repairsAreListedAndAProblemMakesItExitOne() {
    api.doctor = Json.parseOrNull(("{'ok':false,"
        + "'at_start':[{'app':'hello','kind':'repaired','message':'release v7 was cut off by a server stop before it ran; marked failed'}],"
        + "'now':[{'app':'hello','kind':'problem','message':'the slug of v3 is missing: it cannot run again'},"
        + "{'app':null,'kind':'problem','message':'cannot scan the data directory: denied'}]}").replace('\'', '"'));

    var result = cli.run("doctor");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).contains(
        "repaired  hello: release v7 was cut off by a server stop before it ran; marked failed",
        "problem   hello: the slug of v3 is missing: it cannot run again",
        "problem   platform: cannot scan the data directory: denied");
    assertThat(result.err()).contains(" !     Some problems need attention");
  }

  @Test
  void jsonPrintsTheApisAnswerAndKeepsTheExitCode() {
    api.doctor = Json.parseOrNull("{\"ok\":false,\"at_start\":[],\"now\":[]}");

    var result = cli.run("doctor", "--json");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(Json.parseOrNull(result.out()).path("ok").asBoolean(true)).isFalse();
  }
}
