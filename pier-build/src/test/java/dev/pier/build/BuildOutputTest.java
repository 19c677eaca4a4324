package dev.pier.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildOutputTest {

  @Test
  void linesAreRenderedHerokuStyle() {
    List<String> lines = new ArrayList<>();
    BuildOutput out = BuildOutput.collecting(lines);

    out.step("Installing dependencies");
    out.info("added 1 package\nin 1s");
    out.warn("npm ci failed (exit code 1)");

    assertThat(lines).containsExactly(
        "-----> Installing dependencies",
        "       added 1 package",
        "       in 1s",
        " !     npm ci failed (exit code 1)");
  }

  @Test
  void controlCharactersFromCommandsAreStripped() {
    assertThat(SandboxedCommand.stripControl("\u001B[31merror\u001B[0m\u0007 x\tz")).isEqualTo("error x\tz");
  }
}
