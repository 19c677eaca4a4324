package dev.pier.build.lang;

import dev.pier.build.AppYaml;
import dev.pier.build.BuildFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Looks at files of a pushed source tree from the host, as detection must: never following a
 * symlink (it could point anywhere on the server), never reading more than {@value #MAX_BYTES}
 * bytes of a file.
 */
public final class SourceFiles {
  /** Larger files are treated as unreadable. */
  public static final int MAX_BYTES = 1024 * 1024;

  private SourceFiles() {}

  /** True when {@code dir/name} is a regular file (a symlink does not count). */
  public static boolean isFile(Path dir, String name) {
    return Files.isRegularFile(dir.resolve(name), LinkOption.NOFOLLOW_LINKS);
  }

  /** True when {@code dir/name} is a directory (a symlink does not count). */
  public static boolean isDirectory(Path dir, String name) {
    return Files.isDirectory(dir.resolve(name), LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * The text of {@code dir/name}, or empty when it is missing, a symlink, a directory, larger
   * than {@value #MAX_BYTES} bytes or unreadable.
   */
  public static Optional<String> read(Path dir, String name) {
    Path file = dir.resolve(name);
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_BYTES) {
        return Optional.empty();
      }
      return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The {@code runtime} of the app's app.yaml (e.g. {@code python311}, {@code java17}), or empty
   * when there is no readable app.yaml or it does not parse (the build reports that itself).
   */
  public static Optional<String> appYamlRuntime(Path dir) {
    Optional<String> text = read(dir, AppYaml.FILE_NAME);
    if (text.isEmpty()) return Optional.empty();
    try {
      return Optional.ofNullable(AppYaml.parse(text.get()).runtime());
    } catch (BuildFailure e) {
      return Optional.empty();
    }
  }
}
