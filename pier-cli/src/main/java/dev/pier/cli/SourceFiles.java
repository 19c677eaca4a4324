package dev.pier.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides which files of a source directory are deployed. Inside a git work tree: what git would
 * track (tracked files plus untracked ones no {@code .gitignore} rule excludes). Elsewhere: every
 * file. Either way, never anything under {@code node_modules/} or {@code .git/}. Symbolic links
 * are listed themselves and never followed.
 */
final class SourceFiles {
  private static final Set<String> ALWAYS_SKIPPED = Set.of("node_modules", ".git");

  private SourceFiles() {}

  /** Returns the relative paths (with {@code /} separators) of the files to deploy, sorted. */
  static List<String> list(Path dir, Git git) throws IOException {
    TreeSet<String> files = new TreeSet<>();
    if (git.isWorkTree(dir)) {
      for (String name : git.listFiles(dir)) {
        Path file = dir.resolve(name);
        if (skipped(name)) {
          continue;
        }
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
          files.addAll(walk(dir, file)); // a submodule: git lists only its directory
        } else if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
          files.add(name);
        }
      }
    } else {
      files.addAll(walk(dir, dir));
    }
    return new ArrayList<>(files);
  }

  private static boolean skipped(String relative) {
    for (String part : relative.split("/")) {
      if (ALWAYS_SKIPPED.contains(part)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> walk(Path root, Path start) throws IOException {
    List<String> files = new ArrayList<>();
    Files.walkFileTree(start, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        return ALWAYS_SKIPPED.contains(String.valueOf(dir.getFileName())) && !dir.equals(root)
            ? FileVisitResult.SKIP_SUBTREE
            : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        files.add(relative(root, file));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        throw new UncheckedIOException("Cannot read " + file, e);
      }
    });
    return files;
  }

  static String relative(Path root, Path file) {
    return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
  }
}
