package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunCommandLineTest {
  private static String line(String... args) {
    RunCommands.Detached run = new RunCommands.Detached(null);
    run.command = List.of(args);
    return run.commandLine();
  }

  @Test
  void oneArgumentIsAShellLineAsItIs() {
    assertThat(line("echo $HOME; exit 3")).isEqualTo("echo $HOME; exit 3");
  }

  @Test
  void severalArgumentsKeepTheWordsTheLocalShellPassed() {
    assertThat(line("sh", "-c", "sleep 1; echo hi")).isEqualTo("sh -c 'sleep 1; echo hi'");
    assertThat(line("node", "scripts/migrate.js", "--dry-run")).isEqualTo("node scripts/migrate.js --dry-run");
    assertThat(line("echo", "it's", "")).isEqualTo("echo 'it'\\''s' ''");
  }
}
