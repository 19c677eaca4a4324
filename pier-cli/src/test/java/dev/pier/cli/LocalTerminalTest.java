package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalTerminalTest {
  @Test
  void sttySizeIsReadAsColumnsThenRowsAndNonsenseAsUnknown() {
    assertThat(LocalTerminal.parseSize("40 120\n")).containsExactly(120, 40);
    assertThat(LocalTerminal.parseSize("")).containsExactly(0, 0);
    assertThat(LocalTerminal.parseSize("stty: 'standard input': Inappropriate ioctl")).containsExactly(0, 0);
  }

  @Test
  void aRunWhoseStreamsAreNotTheProcesssOwnHasNoTerminal() {
    try (CliContext context = new CliContext(new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(new ByteArrayOutputStream()), Map.of(), Path.of("."), new ByteArrayInputStream(new byte[0]))) {
      assertThat(LocalTerminal.detect(context)).isNull();
    }
  }
}
