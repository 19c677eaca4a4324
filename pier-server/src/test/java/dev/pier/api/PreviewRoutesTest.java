package dev.pier.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a preview named in a path is read. */
class PreviewRoutesTest {
  @Test
  void aPlusInABranchNamedInAPathStaysAPlusWhileEscapesAreDecoded() {
    assertThat(PreviewRoutes.pathSegment("fix+1")).isEqualTo("fix+1");
    assertThat(PreviewRoutes.pathSegment("fix%2B1")).isEqualTo("fix+1");
    assertThat(PreviewRoutes.pathSegment("caf%C3%A9%20x")).isEqualTo("café x");
  }
}
