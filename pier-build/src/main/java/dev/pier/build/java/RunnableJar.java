package dev.pier.build.java;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A jar a build left that {@code java -jar} can start: its manifest names a {@code Main-Class}.
 * Sources, javadoc and test jars and the {@code original-*} jars the shade plugin keeps are not
 * candidates.
 *
 * @param relativePath its path from the app root, e.g. {@code target/hello-1.0.jar}
 * @param springBoot true when its manifest says it is a Spring Boot jar
 */
public record RunnableJar(String relativePath, boolean springBoot) {
  static final int MAX_MANIFEST_BYTES = 1 << 20;

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

  /**
   * The manifest's main attributes, read with a size cap: the jar was made by the app's build, and
   * a manifest that inflates to gigabytes must not fill the server's memory.
   */
  private static Attributes mainAttributes(Path jar) {
    try (ZipFile file = new ZipFile(jar.toFile())) {
      ZipEntry entry = file.getEntry(JarFile.MANIFEST_NAME);
      if (entry == null || entry.getSize() > MAX_MANIFEST_BYTES) return null;
      byte[] bytes;
      try (InputStream in = file.getInputStream(entry)) {
        bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
      }
      if (bytes.length > MAX_MANIFEST_BYTES) return null;
      return new Manifest(new ByteArrayInputStream(bytes)).getMainAttributes();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
