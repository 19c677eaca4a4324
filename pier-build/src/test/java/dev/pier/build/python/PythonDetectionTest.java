package dev.pier.build.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What makes an app Python, and what of requirements.txt counts as a requirement. */
class PythonDetectionTest {
  @TempDir Path app;
  private final PythonBuildpack buildpack = new PythonBuildpack();

  @Test
  void requirementsPyprojectSetupPyAndAppYamlPythonRuntimeAreDetected() throws IOException {
    assertThat(buildpack.detect(app)).isFalse();
    for (String file : new String[] {"requirements.txt", "pyproject.toml", "setup.py"}) {
      Files.writeString(app.resolve(file), "");
      assertThat(buildpack.detect(app)).as(file).isTrue();
      Files.delete(app.resolve(file));
    }
    Files.writeString(app.resolve("app.yaml"), "runtime: python312\nentrypoint: python main.py\n");
    assertThat(buildpack.detect(app)).isTrue();
    Files.writeString(app.resolve("app.yaml"), "runtime: nodejs20\n");
    assertThat(buildpack.detect(app)).isFalse();
  }

  @Test
  void commentsBlankLinesAndContinuationsAreNotRequirements() {
    assertThat(Requirements.entries("# stdlib only\n\n   \n")).isEmpty();
    assertThat(Requirements.entries("flask==3.0 # web\n# c\nrequests \\\n  >=2\n"))
        .containsExactly("flask==3.0", "requests    >=2");
  }
}
