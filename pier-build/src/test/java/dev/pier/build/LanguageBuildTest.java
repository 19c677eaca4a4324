package dev.pier.build;

import static dev.pier.build.TestApps.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.build.BuildResult.Failed;
import dev.pier.build.BuildResult.Succeeded;
import dev.pier.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python and Go builds in the real sandbox with the server's python3 and go, offline (the Java
 * buildpack's Maven build is in the end-to-end JavaPythonGoAppsTest, as it needs Maven Central).
 */
@Timeout(90)
class LanguageBuildTest {
  @TempDir Path tmp;
  @RegisterExtension final BuildLog log = new BuildLog();
  private final List<String> output = log.lines();
  private final BuildOutput out = log.out();
  private Builder builder;
  private BuildRequest request;
  private Path src;

  @BeforeEach
  void setUp() throws IOException {
    TestApps.assumeSandboxAvailable();
    builder = Builder.standard(Sandbox.system())
        .withLimits(BuildLimits.DEFAULT.withTimeout(Duration.ofSeconds(60)));
    request = TestApps.request(tmp, Map.of());
    src = request.sourceDir();
  }


  @Test
  void pythonAppGetsAVirtualenvFirstOnPathAndRunsAppPy() throws IOException {
    write(src, "requirements.txt", "# nothing but the standard library\n");
    write(src, "app.py", "print('hi')\n");

    Succeeded result = (Succeeded) builder.build(request, out);

    assertThat(result.buildpack()).isEqualTo("python");
    assertThat(result.processTypes()).containsEntry("web", "python app.py");
    assertThat(result.env())
        .containsEntry("PATH", "/app/.venv/bin:/usr/local/bin:/usr/bin:/bin")
        .containsEntry("VIRTUAL_ENV", "/app/.venv")
        .containsEntry("PYTHONUNBUFFERED", "1");
    assertThat(TestApps.slugEntries(result.slug())).containsKey(".venv/bin/python3");
    assertThat(output).anyMatch(l -> l.contains("Using Python 3."));
  }

  @Test
  void pyprojectAppWithoutWheelsRunsFromSourceSayingWhyItIsNotInstalled() throws IOException {
    write(src, "pyproject.toml", "[project]\nname = \"hello\"\nversion = \"1.0\"\n");
    write(src, "main.py", "print('hi')\n");

    Succeeded result = (Succeeded) builder.build(request, out);

    assertThat(result.processTypes()).containsEntry("web", "python main.py");
    assertThat(output).anyMatch(l -> l.contains("The project itself is not installed")
        && l.contains("requirements.txt"));
  }

  @Test
  void pythonRequirementThatNoIndexServesFailsNamingTheMissingNetworkAndWheels() throws IOException {
    write(src, "requirements.txt", "flask==3.0.0\n");
    write(src, "app.py", "import flask\n");

    Failed result = (Failed) builder.build(request, out);

    assertThat(result.reason())
        .startsWith("pip install -r requirements.txt failed (exit code 1): Could not find a version")
        .contains("flask")
        .contains("reaches no Python package index (PyPI)")
        .contains("wheels/");
  }

  @Test
  void pythonRequirementsInstallFromCommittedWheelsWithoutAnIndex() throws IOException {
    write(src, "requirements.txt", "hello-lib==1.0  # from wheels/\n");
    write(src, "main.py", "import hello_lib\n");
    wheel(src.resolve("wheels/hello_lib-1.0-py3-none-any.whl"));

    Succeeded result = (Succeeded) builder.build(request, out);

    assertThat(result.processTypes()).containsEntry("web", "python main.py");
    assertThat(TestApps.slugEntries(result.slug()))
        .containsKey(".venv/lib/python3.11/site-packages/hello_lib/__init__.py");
    assertThat(output).anyMatch(l -> l.contains("Installing from wheels/ only"))
        .anyMatch(l -> l.contains("Successfully installed hello-lib-1.0"));
  }

  /** A pure-Python wheel of a package {@code hello_lib} 1.0, as pip builds them. */
  private static void wheel(Path file) throws IOException {
    java.nio.file.Files.createDirectories(file.getParent());
    Map<String, String> entries = new java.util.LinkedHashMap<>();
    entries.put("hello_lib/__init__.py", "GREETING = 'hello'\n");
    entries.put("hello_lib-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: hello-lib\nVersion: 1.0\n");
    entries.put("hello_lib-1.0.dist-info/WHEEL",
        "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
    StringBuilder record = new StringBuilder();
    entries.keySet().forEach(name -> record.append(name).append(",,\n"));
    entries.put("hello_lib-1.0.dist-info/RECORD", record + "hello_lib-1.0.dist-info/RECORD,,\n");
    try (var zip = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(file))) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        zip.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
        zip.write(e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
  }

  @Test
  void goModuleBuildsIntoBinNamedAfterTheModuleAndServesFromIt() throws IOException {
    write(src, "go.mod", "module example.com/tools/hello/v2\n\ngo 1.19\n");
    write(src, "main.go", "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hi\") }\n");

    Succeeded result = (Succeeded) builder.build(request, out);

    assertThat(result.buildpack()).isEqualTo("go");
    assertThat(result.processTypes()).containsEntry("web", "bin/hello");
    assertThat(TestApps.slugEntries(result.slug())).containsKey("bin/hello");
    assertThat(output).anyMatch(l -> l.contains("Using go version go1."));
  }

  @Test
  void goModuleWithVendoredDependencyBuildsOfflineWithModVendor() throws IOException {
    write(src, "go.mod", "module example.com/vendored\n\ngo 1.19\n\nrequire example.com/greet v1.0.0\n");
    write(src, "main.go", "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/greet\"\n)\n\n"
        + "func main() { fmt.Println(greet.Hello()) }\n");
    write(src, "vendor/modules.txt", "# example.com/greet v1.0.0\n## explicit; go 1.19\nexample.com/greet\n");
    write(src, "vendor/example.com/greet/greet.go", "package greet\n\nfunc Hello() string { return \"hi\" }\n");

    Succeeded result = (Succeeded) builder.build(request, out);

    assertThat(TestApps.slugEntries(result.slug())).containsKey("bin/vendored");
    assertThat(output).anyMatch(l -> l.contains("Building with the vendored modules (-mod=vendor)"));
  }

  @Test
  void goCompileErrorFailsQuotingTheCompilerLine() throws IOException {
    write(src, "go.mod", "module example.com/broken\n\ngo 1.19\n");
    write(src, "main.go", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Printn(\"hi\")\n}\n");

    Failed result = (Failed) builder.build(request, out);

    assertThat(result.reason()).startsWith("go build failed (exit code 2): ./main.go:6:6:")
        .contains("Printn");
  }

  @Test
  void goDependencyThatIsNotVendoredFailsSayingThereIsNoModuleProxy() throws IOException {
    write(src, "go.mod", "module example.com/deps\n\ngo 1.19\n\nrequire github.com/pkg/errors v0.9.1\n");
    write(src, "main.go", "package main\n\nimport \"github.com/pkg/errors\"\n\nfunc main() { _ = errors.New(\"x\") }\n");

    Failed result = (Failed) builder.build(request, out);

    assertThat(result.reason()).startsWith("go build failed (exit code 1)").contains("github.com/pkg/errors")
        .endsWith("reaches no Go module proxy: vendor the dependencies (go mod vendor) and commit vendor/");
    assertThat(output).anyMatch(l -> l.contains("No vendor/ directory") && l.contains("no Go module proxy"));
  }

  @Test
  void gradleAppWithOnlyAWrapperSaysTheWrapperCannotDownloadGradleHere() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeFalse(java.nio.file.Files.exists(Path.of("/usr/bin/gradle")));
    write(src, "build.gradle", "plugins { id 'java' }\n");
    write(src, "gradlew", "#!/bin/sh\nexit 1\n");

    Failed result = (Failed) builder.build(request, out);

    assertThat(result.reason()).startsWith("Gradle is not installed on this Pier server");
    assertThat(output).anyMatch(l -> l.contains("gradlew found") && l.contains("services.gradle.org"));
  }
}
