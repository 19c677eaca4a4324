package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitCredentialsTest {
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
  void theHelperGivesGitTheTokenForTheApisHostOnly() {
    URI url = URI.create(api.url());
    String ours = "protocol=http\nhost=" + url.getHost() + ":" + url.getPort() + "\n\n";
    String other = "protocol=http\nhost=example.com\n\n";

    var answer = cli.runIn(home, ours, "git:credential", "get");
    var none = cli.runIn(home, other, "git:credential", "get");
    var store = cli.runIn(home, ours + "username=pier\npassword=x\n", "git:credential", "store");

    assertThat(answer.exitCode()).isZero();
    assertThat(answer.out()).isEqualTo("username=pier\npassword=" + FakePierApi.TOKEN + "\n\n");
    assertThat(none.out()).isEmpty();
    assertThat(store.exitCode()).isZero();
    assertThat(store.out()).isEmpty();
  }

  @Test
  void theHelperSaysNothingWhenNotLoggedIn() {
    cli.env.remove("PIER_API_TOKEN");
    URI url = URI.create(api.url());

    var answer = cli.runIn(home, "protocol=http\nhost=" + url.getHost() + ":" + url.getPort() + "\n\n",
        "git:credential", "get");

    assertThat(answer.exitCode()).isZero();
    assertThat(answer.out()).isEmpty();
  }

  @Test
  void theRemoteUsesTheApiUrlTheUserLoggedInWith() {
    assertThat(GitRemotes.remoteUrl("http://127.0.0.1:7070", "http://localhost:7070/git/hello.git"))
        .isEqualTo("http://127.0.0.1:7070/git/hello.git");
    assertThat(GitRemotes.remoteUrl("https://pier.example.com/api", "http://localhost:7070/git/hello.git"))
        .isEqualTo("https://pier.example.com/api/git/hello.git");
  }

  @Test
  void gitRemoteConfiguresPierAsTheCredentialHelperForTheApi(@TempDir Path dir) throws Exception {
    api.deployedApp("hello");
    Path repo = CliHarness.gitRepo(dir.resolve("repo"));
    cli.env.put("PIER_LAUNCHER", "/opt/pier/bin/pier");

    var result = cli.runIn(repo, "", "git:remote", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(CliHarness.git(repo, "config", "--get-all", "credential." + api.url() + ".helper"))
        .isEqualTo("!'/opt/pier/bin/pier' git:credential"); // after an empty reset entry
  }
}
