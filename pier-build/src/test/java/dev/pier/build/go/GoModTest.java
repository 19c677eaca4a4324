package dev.pier.build.go;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.build.BuildFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** go.mod detection and what the build takes from it. */
class GoModTest {
  @TempDir Path app;

  @Test
  void goModIsDetectedUnlessItIsASymlink() throws IOException {
    GoBuildpack buildpack = new GoBuildpack();
    assertThat(buildpack.detect(app)).isFalse();
    Files.createSymbolicLink(app.resolve("go.mod"), Path.of("/etc/hostname"));
    assertThat(buildpack.detect(app)).isFalse();
    Files.delete(app.resolve("go.mod"));
    Files.writeString(app.resolve("go.mod"), "module x\n");
    assertThat(buildpack.detect(app)).isTrue();
  }

  @Test
  void theBinaryIsNamedAfterTheModulesLastElement() throws BuildFailure {
    GoMod mod = GoMod.parse("// c\nmodule github.com/acme/web-shop // shop\n\ngo 1.21\n\nrequire x v1\n");
    assertThat(mod).isEqualTo(new GoMod("github.com/acme/web-shop", "1.21"));
    assertThat(mod.binaryName()).isEqualTo("web-shop");
    assertThat(GoMod.parse("module example.com/hello/v3\n").binaryName()).isEqualTo("hello");
    assertThat(GoMod.parse("module \"quoted\"\n").binaryName()).isEqualTo("quoted");
    assertThat(GoMod.parse("module ..\n").binaryName()).isEqualTo("app");
  }

  @Test
  void aGoModWithoutModuleLineFailsSayingWhatIsMissing() {
    assertThatThrownBy(() -> GoMod.parse("go 1.19\n"))
        .hasMessage("go.mod: no 'module' line (for example 'module example.com/hello')");
  }
}
