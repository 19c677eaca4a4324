package dev.pier.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The argv of the host's bwrap (0.8 or later here). */
class SandboxTest {
  @Test
  void aCappedTmpIsASizedTmpfsAndAnUncappedOneIsNot() {
    assumeTrue(Sandbox.missingTools() == null, "sandbox tools missing");
    Sandbox sandbox = Sandbox.system();

    List<String> capped = sandbox.launch(spec(32L << 20)).builder().command();
    List<String> uncapped = sandbox.launch(spec(0)).builder().command();

    assertThat(Collections.indexOfSubList(capped, List.of("--size", Long.toString(32L << 20), "--tmpfs", "/tmp")))
        .isNotNegative();
    assertThat(uncapped).doesNotContain("--size").containsSequence("--tmpfs", "/tmp");
  }

  private static SandboxSpec spec(long tmpBytes) {
    return new SandboxSpec(null, Path.of("/tmp"), List.of(), Map.of(), List.of("true"), List.of(), false, tmpBytes);
  }
}
