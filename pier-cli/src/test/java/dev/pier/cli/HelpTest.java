package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HelpTest {
  @TempDir Path home;

  static Stream<String> commands() {
    PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
    try (CliContext context = new CliContext(sink, sink, Map.of(), Path.of("."),
        new ByteArrayInputStream(new byte[0]))) {
      return RootCommand.commandLine(context).getSubcommands().keySet().stream().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("commands")
  void everyCommandExplainsItselfWithHelp(String command) {
    var result = new CliHarness(home).run(command, "--help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("Usage: pier " + command);
    assertThat(result.err()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("commands")
  void everyCommandAcceptsTheShortHelpOption(String command) {
    var result = new CliHarness(home).run(command, "-h");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("Usage: pier " + command);
  }

  @Test
  void pierWithoutArgumentsListsTheCommands() {
    var result = new CliHarness(home).run();

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("Usage: pier").contains("apps:create", "ps:scale", "config:set", "deploy");
  }

  @Test
  void topLevelHelpListsTheCommands() {
    var result = new CliHarness(home).run("--help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("login", "git:remote", "releases", "open", "logs");
  }

  @Test
  void theCommandListGivesEachCommandAWholeSentence() {
    String help = new CliHarness(home).run("--help").out();
    String list = help.substring(help.indexOf("Commands:\n") + "Commands:\n".length());
    java.util.Map<String, String> summaries = new java.util.LinkedHashMap<>();
    String current = null;
    for (String line : list.split("\n")) {
      if (line.startsWith("  ") && !line.startsWith("   ")) {
        String[] parts = line.strip().split("\\s+", 2);
        current = parts[0];
        summaries.put(current, parts.length > 1 ? parts[1] : "");
      } else if (current != null && !line.isBlank()) {
        summaries.put(current, summaries.get(current) + " " + line.strip());
      }
    }

    assertThat(summaries).hasSizeGreaterThan(20);
    assertThat(summaries).allSatisfy((command, summary) ->
        assertThat(summary).as(command).matches("(?s).*[.)]$"));
  }

  @Test
  void anUnknownCommandIsRefusedWithASuggestion() {
    var result = new CliHarness(home).run("app:create", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).startsWith(" !     'app:create' is not a pier command.\n")
        .contains("Did you mean apps:create");
  }

  @Test
  void onlyCloseCommandsAreSuggested() {
    var unrelated = new CliHarness(home).run("frobnicate");
    var suffix = new CliHarness(home).run("destroy");
    var swapped = new CliHarness(home).run("relaeses");

    assertThat(unrelated.err()).contains("'frobnicate' is not a pier command").doesNotContain("Did you mean");
    assertThat(suffix.err()).contains("Did you mean ").contains("apps:destroy");
    assertThat(swapped.err()).contains("Did you mean releases");
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    var result = new CliHarness(home).run("apps", "--bogus");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("Unknown option: '--bogus'");
  }

  @Test
  void versionIsPrinted() {
    assertThat(new CliHarness(home).run("--version").out()).isEqualTo("pier 0.1.0\n");
  }
}
