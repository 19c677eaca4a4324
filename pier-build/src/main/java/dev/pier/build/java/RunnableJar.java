package dev.pier.build.java;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * A jar a build left that {@code java -jar} can start: its manifest names a {@code Main-Class}.
 * Sources, javadoc and test jars and the {@code original-*} jars the shade plugin keeps are not
 * candidates.
 *
 * @param relativePath its path from the app root, e.g. {@code target/hello-1.0.jar}
 * @param springBoot true when its manifest says it is a Spring Boot jar
 */
public record RunnableJar(String relativePath, boolean springBoot) {
  /**
   * The runnable jars directly in {@code appDir/dir} (e.g. {@code target}), by name. Symlinks and
   * jars that cannot be read are skipped.
   */
  public static List<RunnableJar> in(Path appDir, String dir) {
    Path folder = appDir.resolve(dir);
    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) return List.of();
    List<RunnableJar> jars = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path jar : files.sorted().toList()) {
        String name = jar.getFileName().toString();
        if (!isCandidate(name) || !Files.isRegularFile(jar, LinkOption.NOFOLLOW_LINKS)) continue;
        Attributes main = mainAttributes(jar);
        if (main == null || main.getValue(Attributes.Name.MAIN_CLASS) == null) continue;
        boolean boot = main.getValue("Spring-Boot-Version") != null || main.getValue("Start-Class") != null;
        jars.add(new RunnableJar(dir + "/" + name, boot));
      }
    } catch (IOException e) {
      return List.of();
    }
    return List.copyOf(jars);
  }

  static boolean isCandidate(String name) {
    return name.endsWith(".jar")
        && !name.startsWith("original-")
        && !name.endsWith("-sources.jar")
        && !name.endsWith("-javadoc.jar")
        && !name.endsWith("-tests.jar")
        && !name.endsWith("-test-sources.jar");
  }

  private static Attributes mainAttributes(Path jar) {
    try (JarFile file = new JarFile(jar.toFile(), false)) {
      Manifest manifest = file.getManifest();
      return manifest == null ? null : manifest.getMainAttributes();
    } catch (IOException | SecurityException e) {
      return null;
    }
  }
}
