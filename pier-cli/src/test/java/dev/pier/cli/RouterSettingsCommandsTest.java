package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouterSettingsCommandsTest extends FakeApiTest {
  @Test
  void settingsShowDefaultsMarkedThenOwnValuesWithTheDefaultTheyReplace() {
    var shown = cli.run("router:settings", "-a", "hello");

    assertThat(shown.exitCode()).as(shown.err()).isZero();
    assertThat(shown.out()).contains("=== hello router settings")
        .containsPattern("request-timeout +30s \\(default\\) +1s to 1h")
        .containsPattern("header-timeout +10s \\(router-wide\\) +-");

    var set = cli.run("router:settings:set", "request-timeout=60s", "max-body=50MB", "-a", "hello");

    assertThat(set.exitCode()).as(set.err()).isZero();
    assertThat(api.lastBody.toString()).isEqualTo("{\"request-timeout\":\"60s\",\"max-body\":\"50MB\"}");
    assertThat(set.out()).startsWith("Setting request-timeout=60s, max-body=50MB for hello... done\n")
        .containsPattern("request-timeout +60s \\(default 30s\\)")
        .containsPattern("max-body +50MB \\(default none\\)");

    var reset = cli.run("router:settings:reset", "request-timeout", "-a", "hello");

    assertThat(reset.exitCode()).as(reset.err()).isZero();
    assertThat(reset.out()).containsPattern("request-timeout +30s \\(default\\)")
        .containsPattern("max-body +50MB \\(default none\\)");
  }

  @Test
  void aPairWithoutEqualsSignFailsBeforeAnyRequest() {
    int before = api.requests.size();
    var result = cli.run("router:settings:set", "request-timeout", "-a", "hello");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.err()).contains("Expected KEY=VALUE, e.g. request-timeout=60s");
    assertThat(api.requests).hasSize(before);
  }

  @Test
  void aValueOutOfRangeFailsWithTheServersMessageAndChangesNothing() {
    var result = cli.run("router:settings:set", "request-timeout=2h", "-a", "hello");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.err()).contains("request-timeout must be from 1s to 1h");
    assertThat(cli.run("router:settings", "-a", "hello").out())
        .containsPattern("request-timeout +30s \\(default\\)");
  }

  @Test
  void settingsAsJsonArePrintedWhole() {
    var result = cli.run("router:settings", "--json", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("\"name\" : \"request-timeout\"", "\"scope\" : \"router\"");
  }
}
