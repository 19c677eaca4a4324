package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountCommandsTest {
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

  @Test
  void whoamiPrintsTheUserOfTheSavedToken() {
    assertThat(cli.run("login", "--api", api.url(), "--token", FakePierApi.TOKEN).exitCode()).isZero();

    var result = cli.run("whoami");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("admin\n");
    assertThat(api.requests("GET /account")).hasSize(1);
    assertThat(cli.run("whoami", "--json").out()).contains("\"user\" : \"admin\"").contains(api.url());
  }

  @Test
  void whoamiWithoutATokenSaysNotLoggedInAndExitsOne() {
    var result = cli.run("whoami");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("Not logged in");
    assertThat(api.requests).isEmpty();
  }

  @Test
  void whoamiWithARevokedTokenFails() throws Exception {
    cli.run("login", "--api", api.url(), "--token", FakePierApi.TOKEN);
    Path credentials = home.resolve(".config/pier/credentials.json");
    Files.writeString(credentials, Files.readString(credentials).replace(FakePierApi.TOKEN, "revoked"));

    var result = cli.run("whoami");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.out()).isEmpty();
  }

  @Test
  void logoutRemovesTheCredentialsAndTheApiHostsNetrcEntryOnly() throws Exception {
    Path netrc = home.resolve(".netrc");
    Files.writeString(netrc, """
        machine github.com login me password gh-token
        machine example.org login x password y
        """);
    assertThat(cli.run("login", "--api", api.url(), "--token", FakePierApi.TOKEN).exitCode()).isZero();
    assertThat(Files.readString(netrc)).contains("machine 127.0.0.1");

    var result = cli.run("logout");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo(
        "Removed " + home.resolve(".config/pier/credentials.json") + "\n"
            + "Removed the 127.0.0.1 entry from " + netrc + "\n"
            + "Logged out of " + api.url() + "\n");
    assertThat(home.resolve(".config/pier/credentials.json")).doesNotExist();
    assertThat(Files.readString(netrc)).isEqualTo("""
        machine github.com login me password gh-token
        machine example.org login x password y
        """);
    assertThat(cli.run("whoami").err()).contains("Not logged in");
  }

  @Test
  void logoutWhenNotLoggedInSaysSoAndSucceeds() throws Exception {
    Path netrc = home.resolve(".netrc");
    Files.writeString(netrc, "machine github.com login me password gh-token\n");

    var result = cli.run("logout");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Not logged in: nothing to remove\n");
    assertThat(Files.readString(netrc)).isEqualTo("machine github.com login me password gh-token\n");
  }
}
