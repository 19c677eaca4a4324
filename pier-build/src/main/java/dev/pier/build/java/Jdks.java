package dev.pier.build.java;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the JDKs installed under a directory such as {@code /usr/lib/jvm}: each subdirectory with
 * {@code bin/java}, {@code bin/javac} and a {@code release} file naming its {@code JAVA_VERSION}.
 * Symlinked aliases of the same JDK count once, by the directory they point to.
 */
public final class Jdks {
  /** Where Debian and the Temurin packages install JDKs. */
  public static final Path SYSTEM_DIR = Path.of("/usr/lib/jvm");

  private static final Pattern MAJOR = Pattern.compile("^(?:1\\.)?(\\d+)");

  private Jdks() {}

  /** The JDKs under {@code dir}, lowest version first; empty when there are none. */
  public static List<Jdk> installed(Path dir) {
    List<Jdk> found = new ArrayList<>();
    Set<Path> seen = new HashSet<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path home : entries.sorted().toList()) {
        Jdk jdk = read(home.toRealPath());
        if (jdk != null && seen.add(jdk.home())) found.add(jdk);
      }
    } catch (IOException e) {
      return List.of();
    }
    found.sort(Comparator.comparingInt(Jdk::major).thenComparing(Jdk::version));
    return List.copyOf(found);
  }

  private static Jdk read(Path home) {
    if (!Files.isExecutable(home.resolve("bin/java")) || !Files.isExecutable(home.resolve("bin/javac"))) {
      return null;
    }
    Properties release = new Properties();
    try (var in = Files.newBufferedReader(home.resolve("release"))) {
      release.load(in);
    } catch (IOException e) {
      return null;
    }
    String version = release.getProperty("JAVA_VERSION", "").replace("\"", "").strip();
    Integer major = majorOf(version);
    return major == null ? null : new Jdk(major, version, home);
  }

  /** 17 for {@code 17}, {@code 17.0.2}, {@code 17-ea}; 8 for {@code 1.8.0_392}; null otherwise. */
  static Integer majorOf(String version) {
    Matcher m = MAJOR.matcher(version == null ? "" : version.strip());
    if (!m.find()) return null;
    try {
      return Integer.parseInt(m.group(1));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
