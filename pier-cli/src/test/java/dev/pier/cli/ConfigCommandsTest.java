package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigCommandsTest extends FakeApiTest {
  @Test
  void configListsTheVarsAligned() {
    app.config.put("DATABASE_URL", "postgres://db/hello");
    app.config.put("A", "1");

    var result = cli.run("config", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("""
        === hello Config Vars
        A:            1
        DATABASE_URL: postgres://db/hello
        """);
  }

  @Test
  void configWithJsonPrintsTheApiJson() {
    app.config.put("A", "1");

    assertThat(cli.run("config", "-a", "hello", "--json").out()).isEqualTo("{\n  \"A\" : \"1\"\n}\n");
  }

  @Test
  void setSendsEveryPairAndReportsTheNewRelease() {
    var result = cli.run("config:set", "TOKEN=a=b==", "EMPTY=", "_x1=@file", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("""
        Setting TOKEN, EMPTY, _x1 and restarting hello... done, v4
        EMPTY: 
        TOKEN: a=b==
        _x1:   @file
        """);
    assertThat(app.config).containsEntry("TOKEN", "a=b==").containsEntry("EMPTY", "").containsEntry("_x1", "@file");
  }

  @Test
  void setOnAnAppThatWasNeverDeployedSaysDoneWithoutARelease() {
    api.apps.put("fresh", new FakePierApi.FakeApp("fresh"));

    var result = cli.run("config:set", "A=1", "-a", "fresh");

    assertThat(result.out()).startsWith("Setting A and restarting fresh... done\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"NOEQUALS", "1X=y", "=value", "MY-VAR=1", "A B=1"})
  void setWithAMalformedPairFailsWithoutCallingTheServer(String pair) {
    var result = cli.run("config:set", "GOOD=1", pair, "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).startsWith(" !     Invalid config var");
    assertThat(api.requests).isEmpty();
    assertThat(app.config).isEmpty();
  }

  @Test
  void setOfAReservedKeyShowsTheServersDetail() {
    var result = cli.run("config:set", "PORT=1", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEqualTo("Setting PORT and restarting hello... !\n");
    assertThat(result.err()).isEqualTo(" !     PORT is reserved\n");
  }

  @Test
  void unsetRemovesTheVars() {
    app.config.put("A", "1");
    app.config.put("B", "2");
    app.config.put("C", "3");

    var result = cli.run("config:unset", "A", "B", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Unsetting A, B and restarting hello... done, v4\n");
    assertThat(app.config).containsOnlyKeys("C");
  }

  @Test
  void unsetOfVarsThatAreNotSetSaysSoAndMakesNoRelease() {
    app.config.put("A", "1");

    var missing = cli.run("config:unset", "MISSING", "-a", "hello");

    assertThat(missing.exitCode()).isZero();
    assertThat(missing.out()).isEqualTo("Unsetting MISSING and restarting hello... MISSING is not set, nothing changed\n");

    var partly = cli.run("config:unset", "A", "MISSING", "-a", "hello");

    assertThat(partly.exitCode()).isZero();
    assertThat(partly.out()).isEqualTo("Unsetting A, MISSING and restarting hello... done, v4 (MISSING is not set)\n");
    assertThat(app.config).isEmpty();
  }

  @Test
  void getPrintsTheValueOrAnEmptyLine() {
    app.config.put("A", "x=y");

    assertThat(cli.run("config:get", "A", "-a", "hello").out()).isEqualTo("x=y\n");
    assertThat(cli.run("config:get", "MISSING", "-a", "hello").out()).isEqualTo("\n");
  }
}
