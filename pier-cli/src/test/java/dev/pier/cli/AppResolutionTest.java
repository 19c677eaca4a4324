package dev.pier.cli;

import static dev.pier.cli.CliHarness.git;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which app a command targets, and {@code git:remote}, which sets that up. */
class AppResolutionTest {
  @TempDir Path home;
  @TempDir Path dir;
  private FakePierApi api;
  private CliHarness cli;

  @BeforeEach
  void start() throws Exception {
    api = new FakePierApi();
    api.deployedApp("hello").config.put("GREETING", "hi");
    api.deployedApp("other");
    cli = new CliHarness(home, api);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void theAppIsTakenFromThePierGitRemote() throws Exception {
    Path repo = CliHarness.gitRepo(dir.resolve("repo"));
    git(repo, "remote", "add", "pier", "http://localhost:7070/git/hello.git");
    Path subdir = java.nio.file.Files.createDirectories(repo.resolve("src/lib"));

    var result = cli.runIn(subdir, "", "config:get", "GREETING");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("hi\n");
  }

  @Test
  void theAppOptionWinsOverTheGitRemote() throws Exception {
    Path repo = CliHarness.gitRepo(dir.resolve("repo"));
    git(repo, "remote", "add", "pier", "http://localhost:7070/git/hello.git");

    var result = cli.runIn(repo, "", "config", "--app", "other");

    assertThat(result.out()).startsWith("=== other Config Vars");
  }

  @Test
  void withoutAppOptionOrRemoteTheCommandAsksForAnApp() {
    var result = cli.runIn(dir, "", "ps");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(
        " !     No app specified: use -a APP (or run inside a directory with a `pier` git remote)\n");
    assertThat(api.requests).isEmpty();
  }

  @Test
  void gitRemoteAddsThenUpdatesTheRemote() throws Exception {
    Path repo = CliHarness.gitRepo(dir.resolve("repo"));
    git(repo, "remote", "add", "pier", "http://old.example/git/hello.git");

    var result = cli.runIn(repo, "", "git:remote", "-a", "other");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("set git remote pier to " + api.url() + "/git/other.git\n");
    assertThat(git(repo, "remote", "get-url", "pier")).isEqualTo(api.url() + "/git/other.git");
  }

  @Test
  void gitRemoteCanNameTheRemote() throws Exception {
    Path repo = CliHarness.gitRepo(dir.resolve("repo"));

    var result = cli.runIn(repo, "", "git:remote", "-a", "hello", "-r", "staging");

    assertThat(result.exitCode()).isZero();
    assertThat(git(repo, "remote", "get-url", "staging")).isEqualTo(api.url() + "/git/hello.git");
  }

  @Test
  void gitRemoteOutsideARepositoryFailsClearly() {
    var result = cli.runIn(dir, "", "git:remote", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).startsWith(" !     Not a git repository: " + dir);
  }

  @Test
  void appNamesAreReadFromGitUrls() {
    assertThat(AppResolver.appFromGitUrl("http://localhost:7070/git/hello.git")).contains("hello");
    assertThat(AppResolver.appFromGitUrl("https://pier.example/git/my-app.git/")).contains("my-app");
    assertThat(AppResolver.appFromGitUrl("git@github.com:me/hello.git")).isEmpty();
  }
}
