package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PreviewsCommandsTest extends FakeApiTest {
  @Test
  void previewsListsEachBranchWithItsUrlReleaseCommitAndState() {
    api.apps.get("hello").previews.add("hello", "feature/login", "feature-login", 7);

    var result = cli.run("previews", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("=== hello Previews - stopped after 7d without a request")
        .containsPattern("(?m)^BRANCH +URL +RELEASE +COMMIT +STATE +LAST REQUEST$")
        .containsPattern("(?m)^feature/login +http://feature-login\\.hello\\.localhost:8080/ +v7 +0123456 +running +never$");
  }

  @Test
  void previewsSaysHowToCreateOneWhenThereIsNone() {
    assertThat(cli.run("previews", "-a", "hello").out()).contains("No previews of hello. Push a branch to create one");
  }

  @Test
  void previewConfigVarsAreSetShownAndUnsetByBranchName() {
    api.apps.get("hello").previews.add("hello", "feature/login", "feature-login", 7);

    var set = cli.run("config:set", "--preview", "feature/login", "API_URL=http://staging", "-a", "hello");

    assertThat(set.exitCode()).as(set.err()).isZero();
    assertThat(set.out()).contains("Setting API_URL and restarting the preview of feature/login... done, v8");
    assertThat(api.requests).contains("PATCH /apps/hello/previews/feature-login/config");
    assertThat(cli.run("config", "--preview", "feature/login", "-a", "hello").out())
        .contains("=== hello Preview feature/login Config Vars", "API_URL", "http://staging");
    assertThat(cli.run("config", "-a", "hello").out()).doesNotContain("API_URL");

    var unset = cli.run("config:unset", "--preview", "feature-login", "API_URL", "-a", "hello");
    assertThat(unset.exitCode()).as(unset.err()).isZero();
    assertThat(cli.run("config", "--preview", "feature/login", "-a", "hello").out()).doesNotContain("API_URL");
  }

  @Test
  void configOfAPreviewThatDoesNotExistFailsClearlyAndSendsNoChange() {
    var result = cli.run("config:set", "--preview", "nope", "A=1", "-a", "hello");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.err()).contains("No preview of branch 'nope' on hello", "git push pier nope");
    assertThat(api.requests).noneMatch(r -> r.startsWith("PATCH"));
  }

  @Test
  void previewsDestroyRemovesOneByBranch() {
    api.apps.get("hello").previews.add("hello", "feature-x", "feature-x", 3);

    var result = cli.run("previews:destroy", "feature-x", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("Removing the preview of feature-x on hello... done\n");
    assertThat(api.apps.get("hello").previews.byBranch).isEmpty();
    assertThat(cli.run("previews:destroy", "feature-x", "-a", "hello").exitCode()).isNotZero();
  }

  @Test
  void previewsDestroyTakesTheBranchOfThatExactNameBeforeAnotherBranchWhoseLabelItIs() {
    api.apps.get("hello").previews.add("hello", "Feature/X", "feature-x", 3);
    api.apps.get("hello").previews.add("hello", "feature-x", "feature-x-3f2a9c", 4);

    var result = cli.run("previews:destroy", "feature-x", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(api.apps.get("hello").previews.byBranch).containsOnlyKeys("Feature/X");
    assertThat(cli.run("previews:destroy", "Feature/X", "-a", "hello").exitCode()).isZero();
    assertThat(api.apps.get("hello").previews.byBranch).isEmpty();
  }

  @Test
  void previewsSettingsShowsAndSetsTheIdleLimitInDays() {
    assertThat(cli.run("previews:settings", "-a", "hello").out())
        .isEqualTo("Previews of hello stop after 7d without a request.\n");
    var set = cli.run("previews:settings", "--idle", "2d", "-a", "hello");
    assertThat(set.out()).isEqualTo("Previews of hello stop after 2d without a request.\n");
    assertThat(api.apps.get("hello").previews.idleSeconds).isEqualTo(2 * 86400);

    var bad = cli.run("previews:settings", "--idle", "soon", "-a", "hello");
    assertThat(bad.exitCode()).isNotZero();
    assertThat(bad.err()).contains("Invalid --idle 'soon'");
    var tooShort = cli.run("previews:settings", "--idle", "5s", "-a", "hello");
    assertThat(tooShort.exitCode()).isNotZero();
    assertThat(tooShort.err()).contains("10 seconds");
  }
}
