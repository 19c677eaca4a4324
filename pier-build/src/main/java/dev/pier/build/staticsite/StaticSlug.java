package dev.pier.build.staticsite;

import dev.pier.model.StaticSite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The layout of a static site's slug: the files to serve under {@value #SITE_DIR}/ and the
 * normalized static.json as {@value #CONFIG_FILE} (its {@code root} is {@value #SITE_DIR}).
 * Nothing else is kept: sources, node_modules and build tools are not needed to serve files.
 */
public final class StaticSlug {
  public static final String SITE_DIR = "site";
  public static final String CONFIG_FILE = "pier-static.json";

  private StaticSlug() {}

  /**
   * Rearranges {@code appDir} so that it holds only {@code root}'s files under {@value #SITE_DIR}
   * and the config file.
   *
   * @param root the served directory, relative to {@code appDir} ({@code "."} for the app itself)
   */
  static void arrange(Path appDir, String root, StaticSite site) throws IOException {
    Path staging = appDir.resolve(".pier-site-" + UUID.randomUUID());
    Path rootDir = appDir.resolve(root).normalize();
    if (rootDir.equals(appDir.normalize())) {
      Files.createDirectory(staging);
      for (Path entry : entries(appDir)) {
        if (!entry.equals(staging)) Files.move(entry, staging.resolve(entry.getFileName()));
      }
    } else {
      Files.move(rootDir, staging);
      for (Path entry : entries(appDir)) {
        if (!entry.equals(staging)) deleteTree(entry);
      }
    }
    Files.move(staging, appDir.resolve(SITE_DIR));
    Files.writeString(appDir.resolve(CONFIG_FILE), StaticJson.write(SITE_DIR, site), StandardCharsets.UTF_8);
  }

  private static List<Path> entries(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.toList();
    }
  }

  /** Deletes {@code path} and, for a directory, everything in it; symlinks are not followed. */
  static void deleteTree(Path path) throws IOException {
    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(path);
      return;
    }
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) throw e;
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
