package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** pipelines:create's two forms; bad input to pipelines:* and apps:rename fails before anything reaches Pier (#10). */
class PipelinesAndRenameInputTest extends FakeApiTest {
  @Test
  void aStageWithoutAppsIsRefusedNamingTheFormToUse() {
    var result = cli.run("pipelines:create", "shop", "--stage", "staging");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(" !     Invalid --stage staging: use STAGE=APP, e.g. --stage staging=shop-staging\n");
    assertThat(api.requests).isEmpty();
  }

  @Test
  void herokusFormWithOneAppCreatesAOneStagePipeline() {
    var result = cli.run("pipelines:create", "shop", "-a", "hello", "--stage", "staging");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("Creating shop pipeline... done\nstaging: hello\n");
    assertThat(api.lastBody.toString())
        .isEqualTo("{\"name\":\"shop\",\"stages\":[{\"name\":\"staging\",\"apps\":[\"hello\"]}]}");
  }

  @Test
  void diffTakesAPipelineOrAnAppNotBoth() {
    var result = cli.run("pipelines:diff", "shop", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("Give a pipeline NAME or -a APP, not both.");
    assertThat(api.requests).isEmpty();
  }

  @Test
  void renameRefusesAnInvalidNewNameAndTwoWaysOfNamingTheOldApp() {
    var invalid = cli.run("apps:rename", "hello", "Bad_Name");
    var both = cli.run("apps:rename", "hello", "new-name", "-a", "hello");

    assertThat(invalid.exitCode()).isEqualTo(1);
    assertThat(invalid.err()).startsWith(" !     Invalid app name 'Bad_Name'");
    assertThat(both.exitCode()).isEqualTo(1);
    assertThat(both.err()).contains("Give OLD NEW or NEW -a OLD, not both.");
    assertThat(api.requests).isEmpty();
  }
}
