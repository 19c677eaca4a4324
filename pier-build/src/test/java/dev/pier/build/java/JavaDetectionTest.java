package dev.pier.build.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.build.BuildFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What makes an app Java, which version it asks for, and which jar starts it. */
class JavaDetectionTest {
  @TempDir Path app;
  private final JavaBuildpack buildpack = new JavaBuildpack();

  @Test
  void mavenGradleAndAppYamlJavaRuntimeAreDetectedButAPomSymlinkIsNot() throws IOException {
    assertThat(buildpack.detect(app)).isFalse();
    Files.createSymbolicLink(app.resolve("pom.xml"), Path.of("/etc/hostname"));
    assertThat(buildpack.detect(app)).isFalse();
    Files.delete(app.resolve("pom.xml"));
    Files.writeString(app.resolve("build.gradle.kts"), "");
    assertThat(buildpack.detect(app)).isTrue();
    Files.delete(app.resolve("build.gradle.kts"));
    Files.writeString(app.resolve("app.yaml"), "runtime: java21\n");
    assertThat(buildpack.detect(app)).isTrue();
    Files.writeString(app.resolve("app.yaml"), "runtime: python312\n");
    assertThat(buildpack.detect(app)).isFalse();
  }

  @Test
  void systemPropertiesVersionWinsOverAppYamlAndAcceptsHerokuForms() throws Exception {
    Files.writeString(app.resolve("app.yaml"), "runtime: java25\n");
    assertThat(JavaVersionRequest.of(app)).isEqualTo(new JavaVersionRequest(25, "app.yaml runtime: java25"));
    for (String value : new String[] {"21", "21.0.2", "zulu-21", " 21 "}) {
      Files.writeString(app.resolve("system.properties"), "java.runtime.version=" + value + "\n");
      assertThat(JavaVersionRequest.of(app).major()).as(value).isEqualTo(21);
    }
    Files.writeString(app.resolve("system.properties"), "java.runtime.version=1.8\n");
    assertThat(JavaVersionRequest.of(app).major()).isEqualTo(8);
  }

  @Test
  void aRuntimeVersionThatIsNotAVersionFailsNamingTheFile() throws IOException {
    Files.writeString(app.resolve("system.properties"), "java.runtime.version=latest\n");
    assertThatThrownBy(() -> JavaVersionRequest.of(app))
        .isInstanceOf(BuildFailure.class)
        .hasMessage("system.properties: java.runtime.version=latest is not a Java version"
            + " (for example java.runtime.version=17)");
  }

  @Test
  void theRunnableJarIsTheOneWithAMainClassNotTheShadeOriginalOrSources() throws IOException {
    Path target = Files.createDirectories(app.resolve("target"));
    jar(target.resolve("app-1.0.jar"), "example.App", false);
    jar(target.resolve("original-app-1.0.jar"), "example.App", false);
    jar(target.resolve("app-1.0-sources.jar"), "example.App", false);
    jar(target.resolve("lib.jar"), null, false);

    assertThat(RunnableJar.in(app, "target")).containsExactly(new RunnableJar("target/app-1.0.jar", false));
  }

  @Test
  void springBootJarStartsOnPortWithHeapSizedToTheInstance() throws IOException {
    Path target = Files.createDirectories(app.resolve("target"));
    jar(target.resolve("demo.jar"), "org.springframework.boot.loader.launch.JarLauncher", true);

    RunnableJar jar = RunnableJar.in(app, "target").getFirst();

    assertThat(jar.springBoot()).isTrue();
    assertThat(JvmCommand.forJar(jar)).isEqualTo("java -XX:MaxRAM=${MEMORY_LIMIT:-512m}"
        + " -XX:MaxRAMPercentage=70 $JAVA_OPTS -Dserver.port=$PORT -jar target/demo.jar");
  }

  private static void jar(Path file, String mainClass, boolean springBoot) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (mainClass != null) manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
    if (springBoot) manifest.getMainAttributes().putValue("Spring-Boot-Version", "3.3.0");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file), manifest)) {
      out.flush();
    }
  }
}
