package dev.pier.build.nodejs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeRuntimeMismatchTest {
  @Test
  void aRuntimeMajorOtherThanTheInstalledOneIsNamedWithBoth() {
    assertThat(NodejsBuildpack.runtimeMismatch("nodejs22", "v20.20.2")).contains(
        "app.yaml runtime 'nodejs22' asks for Node.js 22, but this Pier has only Node.js v20.20.2;"
            + " building and running with it");
  }

  @Test
  void theSameMajorAnUnversionedRuntimeOrAnotherLanguageSaysNothing() {
    assertThat(NodejsBuildpack.runtimeMismatch("nodejs20", "v20.20.2")).isEmpty();
    assertThat(NodejsBuildpack.runtimeMismatch("nodejs", "v20.20.2")).isEmpty();
    assertThat(NodejsBuildpack.runtimeMismatch("python312", "v20.20.2")).isEmpty();
  }
}
