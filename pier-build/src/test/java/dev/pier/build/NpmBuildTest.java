package dev.pier.build;

import static dev.pier.build.TestApps.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.build.BuildResult.Failed;
import dev.pier.build.BuildResult.Succeeded;
import dev.pier.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds that install packages from the public npm registry. Bounded twice: each test by JUnit,
 * each npm step by the builder's step timeout.
 */
@Tag("network")
@Timeout(90)
class NpmBuildTest {
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
  void dependencyThatDoesNotExistFailsShowingNpmsError() throws IOException {
    write(src, "package.json", """
        {"name": "hello", "scripts": {"start": "node server.js"},
         "dependencies": {"pier-no-such-package-xyz": "1.0.0"}}
        """);

    BuildResult result = builder.build(request, out);

    assertThat(result).isEqualTo(new Failed("npm install failed (exit code 1)"));
    assertThat(output).anyMatch(line -> line.startsWith("       npm error") && line.contains("404"));
    assertThat(output).last().isEqualTo(" !     npm install failed (exit code 1)");
  }

  @Test
  void dependencyIsInstalledIntoTheSlugAndCachedForTheNextBuild() throws IOException {
    String packageJson = """
        {"name": "hello", "version": "1.0.0", "scripts": {"start": "node server.js"},
         "dependencies": {"is-number": "7.0.0"}}
        """;
    write(src, "package.json", packageJson);

    Succeeded first = (Succeeded) builder.build(request, out);

    assertThat(TestApps.slugEntries(first.slug())).containsKey("node_modules/is-number/package.json");
    assertThat(output).contains("       Running 'npm install' (with devDependencies)");
    assertThat(request.cacheDir().resolve("npm/_cacache")).isDirectory();

    // The lockfile npm wrote makes the next build use npm ci, from the same cache.
    Path src2 = Files.createDirectories(tmp.resolve("src2"));
    write(src2, "package.json", packageJson);
    Files.copy(src.resolve("package-lock.json"), src2.resolve("package-lock.json"));
    BuildRequest second = new BuildRequest(request.app(), src2, request.cacheDir(),
        tmp.resolve("slugs/second.tar.gz"), Map.of(), request.user());
    output.clear();

    BuildResult again = builder.build(second, out);

    assertThat(again).isInstanceOf(Succeeded.class);
    assertThat(output).contains(
        "       Using the npm cache from earlier builds",
        "       Running 'npm ci' (with devDependencies)");
    assertThat(TestApps.slugEntries(second.slugFile())).containsKey("node_modules/is-number/index.js");
  }

  @Test
  void devDependenciesArePrunedAfterTheBuildScriptUsedThem() throws IOException {
    write(src, "package.json", """
        {"name": "hello", "version": "1.0.0",
         "scripts": {
           "start": "node server.js",
           "build": "node -e \\"require('fs').writeFileSync('built.txt', String(require('is-number')(5)))\\""
         },
         "devDependencies": {"is-number": "7.0.0"}}
        """);

    Succeeded ok = (Succeeded) builder.build(request, out);

    assertThat(TestApps.slugText(ok.slug(), "built.txt")).isEqualTo("true");
    assertThat(TestApps.slugEntries(ok.slug()).keySet())
        .noneMatch(name -> name.startsWith("node_modules/is-number"));
    assertThat(output).contains("-----> Pruning devDependencies");
  }
}
