package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FeaturesCommandsTest extends FakeApiTest {
  @Test
  void featuresAreListedOffUntilEnabledAndOffAgainWhenDisabled() {
    var none = cli.run("features", "-a", "hello");
    assertThat(none.exitCode()).as(none.err()).isZero();
    assertThat(none.out()).startsWith("=== App Features hello\n")
        .containsPattern("\\[ \\] https-only +Redirects plain-HTTP requests to HTTPS\\.")
        .contains("[ ] hsts");

    var enable = cli.run("features:enable", "https-only", "-a", "hello");
    assertThat(enable.exitCode()).as(enable.err()).isZero();
    assertThat(api.lastBody.toString()).isEqualTo("{\"enabled\":true}");
    assertThat(enable.out()).isEqualTo("Enabling https-only for hello... done\n");
    assertThat(cli.run("features", "-a", "hello").out()).contains("[+] https-only").contains("[ ] hsts");

    var disable = cli.run("features:disable", "https-only", "-a", "hello");
    assertThat(disable.exitCode()).as(disable.err()).isZero();
    assertThat(disable.out()).isEqualTo("Disabling https-only for hello... done\n");
    assertThat(cli.run("features", "-a", "hello").out()).contains("[ ] https-only");
  }

  @Test
  void anUnknownFeatureFailsWithTheServersMessage() {
    var result = cli.run("features:enable", "http-only", "-a", "hello");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.err()).contains("no such feature 'http-only'").contains("https-only, hsts");
  }

  @Test
  void jsonListsEveryFeature() {
    cli.run("features:enable", "hsts", "-a", "hello");
    var json = cli.run("features", "-a", "hello", "--json");
    assertThat(json.exitCode()).isZero();
    assertThat(json.out()).contains("\"name\" : \"hsts\"").contains("\"enabled\" : true");
  }
}
