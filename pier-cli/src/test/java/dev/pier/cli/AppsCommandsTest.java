package dev.pier.cli;

import static dev.pier.cli.CliHarness.git;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppsCommandsTest {
  @TempDir Path home;
  private FakePierApi api;
  private CliHarness cli;

  @BeforeEach
  void start() throws Exception {
    api = new FakePierApi();
    cli = new CliHarness(home, api);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void appsListsNamesWithWebUrls() {
    api.deployedApp("hello");
    api.deployedApp("my-blog");

    var result = cli.run("apps");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("""
        === Apps
        hello    http://hello.localhost:8080/
        my-blog  http://my-blog.localhost:8080/
        """);
  }

  @Test
  void appsSaysSoWhenThereAreNone() {
    assertThat(cli.run("apps").out()).isEqualTo("You have no apps.\n");
  }

  @Test
  void appsWithJsonPrintsTheApiJson() {
    api.deployedApp("hello");

    var result = cli.run("apps", "--json");

    assertThat(result.out()).startsWith("[ {").contains("\"name\" : \"hello\"", "\"release\" : 3");
  }

  @Test
  void createPrintsTheUrlsAndAddsThePierRemoteInsideAGitRepository(@TempDir Path dir) throws Exception {
    Path repo = CliHarness.gitRepo(dir.resolve("repo"));

    var result = cli.runIn(repo, "", "apps:create", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Creating hello... done\n"
        + "http://hello.localhost:8080/ | " + api.url() + "/git/hello.git\n"
        + "Git remote pier added\n");
    assertThat(git(repo, "remote", "get-url", "pier")).isEqualTo(api.url() + "/git/hello.git");
    assertThat(api.apps).containsKey("hello");
  }

  @Test
  void createWithNoRemoteLeavesTheRepositoryAlone(@TempDir Path dir) throws Exception {
    Path repo = CliHarness.gitRepo(dir.resolve("repo"));

    var result = cli.runIn(repo, "", "apps:create", "hello", "--no-remote");

    assertThat(result.exitCode()).isZero();
    assertThat(git(repo, "remote")).isEmpty();
  }

  @Test
  void createWithoutANameReportsTheGeneratedOne() {
    var result = cli.run("apps:create");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("Creating app... done, generated-app-1234\n");
  }

  @Test
  void createOfATakenNameShowsTheServersDetail() {
    api.deployedApp("hello");

    var result = cli.run("apps:create", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEqualTo("Creating hello... !\n");
    assertThat(result.err()).isEqualTo(" !     app 'hello' already exists\n");
  }

  @Test
  void createOfAnInvalidNameFailsWithoutCallingTheServer() {
    var result = cli.run("apps:create", "Bad_Name");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).startsWith(" !     Invalid app name 'Bad_Name'");
    assertThat(api.requests).isEmpty();
  }

  @Test
  void infoOfAnUnknownAppShowsNotFound() {
    var result = cli.run("apps:info", "-a", "nope");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(" !     app 'nope' not found\n");
  }

  @Test
  void destroyWithAMismatchedTypedNameDeletesNothing() {
    api.deployedApp("hello");

    var result = cli.runIn(home, "hell\n", "apps:destroy", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("To proceed, type hello")
        .endsWith(" !     Confirmation did not match hello. Aborted.\n");
    assertThat(api.apps).containsKey("hello");
    assertThat(api.requests("DELETE")).isEmpty();
  }

  @Test
  void destroyWithAMismatchedConfirmOptionDeletesNothing() {
    api.deployedApp("hello");

    var result = cli.run("apps:destroy", "-a", "hello", "--confirm", "other");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(api.requests("DELETE")).isEmpty();
  }

  @Test
  void destroyAfterTypingTheNameDeletesTheAppAndItsRemote(@TempDir Path dir) throws Exception {
    api.deployedApp("hello");
    Path repo = CliHarness.gitRepo(dir.resolve("repo"));
    git(repo, "remote", "add", "pier", api.url() + "/git/hello.git");

    var result = cli.runIn(repo, "hello\n", "apps:destroy");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Destroying hello... done\nGit remote pier removed\n");
    assertThat(api.apps).doesNotContainKey("hello");
    assertThat(git(repo, "remote")).isEmpty();
  }

  @Test
  void destroyWithTheConfirmOptionDoesNotPrompt() {
    api.deployedApp("hello");

    var result = cli.run("apps:destroy", "-a", "hello", "--confirm", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(api.apps).isEmpty();
  }

  @Test
  void destroyTakesTheAppAsAnArgumentAsHerokuDoes() {
    api.deployedApp("hello");
    api.deployedApp("other");

    var result = cli.run("apps:destroy", "hello", "--confirm", "hello");
    var twoApps = cli.run("apps:destroy", "other", "-a", "hello", "--confirm", "other");

    assertThat(result.exitCode()).isZero();
    assertThat(api.apps).containsOnlyKeys("other");
    assertThat(twoApps.exitCode()).isNotZero();
    assertThat(twoApps.err()).contains("Two different apps given: other and -a hello");
  }
}
