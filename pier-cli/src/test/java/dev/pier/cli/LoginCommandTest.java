package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginCommandTest {
  @TempDir Path home;
  private FakePierApi api;
  private CliHarness cli;

  @BeforeEach
  void start() throws Exception {
    api = new FakePierApi();
    cli = new CliHarness(home);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private Path credentials() {
    return home.resolve(".config/pier/credentials.json");
  }

  @Test
  void loginSavesCredentialsReadableOnlyByTheOwner() throws Exception {
    var result = cli.run("login", "--api", api.url() + "/", "--token", FakePierApi.TOKEN);

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Logged in to " + api.url() + "\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials())))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials().getParent())))
        .isEqualTo("rwx------");
    assertThat(Files.readString(credentials()))
        .contains("\"api\" : \"" + api.url() + "\"")
        .contains("\"token\" : \"" + FakePierApi.TOKEN + "\"");
  }

  @Test
  void loginWritesOneNetrcEntryForTheApiHostAndKeepsOtherMachines() throws Exception {
    Path netrc = home.resolve(".netrc");
    Files.writeString(netrc, """
        machine github.com login me password gh-token
        machine 127.0.0.1
          login pier
          password old-token
        machine example.org login x password y
        """);

    assertThat(cli.run("login", "--api", api.url(), "--token", FakePierApi.TOKEN).exitCode()).isZero();
    assertThat(cli.run("login", "--api", api.url(), "--token", FakePierApi.TOKEN).exitCode()).isZero();

    assertThat(Files.readString(netrc)).isEqualTo("""
        machine github.com login me password gh-token
        machine 127.0.0.1 login pier password secret-token
        machine example.org login x password y
        """);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(netrc))).isEqualTo("rw-------");
  }

  @Test
  void afterLoginGitSendsTheTokenWithoutAsking() throws Exception {
    cli.run("login", "--api", api.url(), "--token", FakePierApi.TOKEN);

    ProcessBuilder gitLsRemote = new ProcessBuilder("git", "ls-remote", api.url() + "/git/hello.git")
        .redirectErrorStream(true);
    gitLsRemote.environment().put("HOME", home.toString());
    gitLsRemote.environment().put("GIT_TERMINAL_PROMPT", "0");
    gitLsRemote.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    Process git = gitLsRemote.start();
    git.getInputStream().readAllBytes();
    assertThat(git.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    String basic = java.util.Base64.getEncoder().encodeToString(
        ("pier:" + FakePierApi.TOKEN).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(api.gitAuthorizations).contains("Basic " + basic);
  }

  @Test
  void loginPromptsForTheTokenWhenNoneIsGiven() {
    var result = cli.runIn(home, FakePierApi.TOKEN + "\n", "login", "--api", api.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).startsWith("Token: ");
    assertThat(result.out()).contains("Logged in to " + api.url());
  }

  @Test
  void loginUsesPierApiUrlWhenNoApiIsGiven() {
    cli.env.put("PIER_API_URL", api.url());

    var result = cli.run("login", "--token", FakePierApi.TOKEN);

    assertThat(result.out()).isEqualTo("Logged in to " + api.url() + "\n");
  }

  @Test
  void loginWithAWrongTokenFailsAndSavesNothing() {
    var result = cli.run("login", "--api", api.url(), "--token", "wrong");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(" !     Invalid token\n");
    assertThat(credentials()).doesNotExist();
    assertThat(home.resolve(".netrc")).doesNotExist();
  }

  @Test
  void loginToAnUnreachableApiSaysSo() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port;

    var result = cli.run("login", "--api", url, "--token", "t");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).startsWith(" !     Cannot reach Pier at " + url);
    assertThat(credentials()).doesNotExist();
  }

  @Test
  void commandsUseTheSavedLogin() {
    api.deployedApp("hello");
    cli.run("login", "--api", api.url(), "--token", FakePierApi.TOKEN);

    var result = cli.run("apps");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("hello");
  }

  @Test
  void environmentVariablesWinOverTheSavedLogin() throws Exception {
    api.deployedApp("hello");
    CredentialsStore.in(home).save(new Credentials("http://127.0.0.1:1", "stale"));
    cli.env.put("PIER_API_URL", api.url());
    cli.env.put("PIER_API_TOKEN", FakePierApi.TOKEN);

    var result = cli.run("apps");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("hello");
  }

  @Test
  void commandsWithoutAnyLoginAskTheUserToLogIn() {
    var result = cli.run("apps");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(" !     Not logged in: run `pier login`\n");
    assertThat(api.requests).isEmpty();
  }

  @Test
  void aWrongTokenInTheEnvironmentShowsTheServersDetail() {
    cli.env.put("PIER_API_URL", api.url());
    cli.env.put("PIER_API_TOKEN", "wrong");

    var result = cli.run("apps");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(" !     invalid or missing token\n");
  }
}
