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
  void setWithADotenvFileSendsItsVarsWithQuotesCommentsAndMultilineValues() throws Exception {
    java.nio.file.Files.writeString(home.resolve(".env"), """
        # database
        export DATABASE_URL=postgres://db/hello   # the main one
        GREETING="hello \\"world\\"\\nsecond line"
        RAW='no $expansion here #not a comment'
        MULTI="line one
        line two"

        EMPTY=
        OVERRIDDEN=from file
        """);

    var result = cli.runIn(home, "", "config:set", "--file", ".env", "OVERRIDDEN=from args", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(app.config)
        .containsEntry("DATABASE_URL", "postgres://db/hello")
        .containsEntry("GREETING", "hello \"world\"\nsecond line")
        .containsEntry("RAW", "no $expansion here #not a comment")
        .containsEntry("MULTI", "line one\nline two")
        .containsEntry("EMPTY", "")
        .containsEntry("OVERRIDDEN", "from args");
  }

  @Test
  void aMalformedDotenvFileIsRefusedNamingTheLineAndNothingIsSet() throws Exception {
    java.nio.file.Files.writeString(home.resolve("bad.env"), "A=1\nthis is not a pair\n");
    java.nio.file.Files.writeString(home.resolve("open.env"), "A=1\nB=\"never closed\n");

    var bad = cli.runIn(home, "", "config:set", "--file", "bad.env", "-a", "hello");
    var open = cli.runIn(home, "", "config:set", "--file", "open.env", "-a", "hello");
    var missing = cli.runIn(home, "", "config:set", "--file", "nope.env", "-a", "hello");

    assertThat(bad.exitCode()).isNotZero();
    assertThat(bad.err()).contains("bad.env line 2: expected KEY=VALUE");
    assertThat(open.err()).contains("open.env line 2: the value's \" quote is never closed");
    assertThat(missing.err()).contains("Cannot read nope.env");
    assertThat(app.config).doesNotContainKey("A");
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
