package dev.pier.build;

import static dev.pier.build.TestApps.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.build.BuildResult.Failed;
import dev.pier.build.BuildResult.Succeeded;
import dev.pier.build.nodejs.NodejsBuildpack;
import dev.pier.build.procfile.ProcfileBuildpack;
import dev.pier.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which buildpack builds an app: detection order, app.yaml's runtime, and an app's own list,
 * with a second buildpack written against the plain name/detect/compile interface.
 */
@Timeout(30)
class BuildpackSelectionTest {
  /** A buildpack as another language's would be written: name, detect, compile only. */
  static final class MarkerBuildpack implements Buildpack {
    @Override
    public String name() {
      return "java";
    }

    @Override
    public boolean detect(Path sourceDir) {
      return Files.exists(sourceDir.resolve("pom.xml"));
    }

    @Override
    public void compile(BuildContext ctx) {
      ctx.defaultProcessType("web", "java -jar app.jar");
    }
  }

  @TempDir Path tmp;
  private Builder builder;
  private BuildRequest request;
  private Path src;

  @BeforeEach
  void setUp() throws IOException {
    TestApps.assumeSandboxAvailable();
    builder = new Builder(Sandbox.system(),
        List.of(new NodejsBuildpack(), new MarkerBuildpack(), new ProcfileBuildpack()));
    request = TestApps.request(tmp, Map.of());
    src = request.sourceDir();
  }

  @Test
  void theFirstBuildpackOfTheOrderThatDetectsBuildsTheApp() throws IOException {
    write(src, "pom.xml", "<project/>");
    write(src, "package.json", "{\"name\": \"x\", \"scripts\": {\"start\": \"node s.js\"}}");

    assertThat(((Succeeded) builder.build(request, BuildOutput.NONE)).buildpack()).isEqualTo("nodejs");
  }

  @Test
  void appYamlsRuntimePicksItsBuildpackFirstByItsNameWithoutVersion() throws IOException {
    write(src, "pom.xml", "<project/>");
    write(src, "package.json", "{\"name\": \"x\"}");
    write(src, "app.yaml", "runtime: java17\n");

    Succeeded ok = (Succeeded) builder.build(request, BuildOutput.NONE);

    assertThat(ok.buildpack()).isEqualTo("java");
    assertThat(ok.processTypes()).containsEntry("web", "java -jar app.jar");
  }

  @Test
  void anUnsupportedRuntimeListsTheRuntimesTheBuildpacksHave() throws IOException {
    write(src, "app.yaml", "runtime: ruby32\n");

    assertThat(((Failed) builder.build(request, BuildOutput.NONE)).reason()).isEqualTo(
        "app.yaml runtime 'ruby32' is not supported by any buildpack: Pier builds nodejs, java"
            + " (app.yaml runtime) and any app with a Procfile");
  }

  @Test
  void anAppsOwnBuiltInBuildpackMustDetectTheApp() throws IOException {
    write(src, "package.json", "{\"name\": \"x\"}");

    BuildResult result = builder.build(request.withBuildpacks(List.of("java")), BuildOutput.NONE);

    assertThat(((Failed) result).reason()).isEqualTo(
        "The buildpack java set for this app cannot build it: it detected nothing it builds (see `pier buildpacks`)");
  }

  @Test
  void builtInNamesAreCheckedAndNormalised() {
    assertThat(builder.names()).containsExactly("nodejs", "java", "procfile");
    assertThat(builder.checkBuildpack("heroku/java")).isEqualTo("java");
    assertThat(builder.checkBuildpack("https://example.com/bp.git#v2")).isEqualTo("https://example.com/bp.git#v2");
  }
}
