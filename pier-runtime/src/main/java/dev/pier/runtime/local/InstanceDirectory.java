package dev.pier.runtime.local;

import dev.pier.sandbox.AppUser;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The host directory of one instance, {@code RUN_DIR/APP/NAME}, whose {@code app} subdirectory
 * becomes {@code /app} in the sandbox. Every run gets a fresh copy of the slug, owned by the
 * app's user, so nothing an earlier run wrote survives a restart (like a dyno's ephemeral
 * filesystem).
 */
final class InstanceDirectory {
  /** Serialises creating and removing the shared per-app parent directories. */
  private static final Object PARENTS = new Object();

  private final Path dir;

  InstanceDirectory(Path runDir, String app, String name) {
    this.dir = runDir.resolve(app).resolve(name);
  }

  Path appDir() {
    return dir.resolve("app");
  }

  /** Replaces {@code app} by a fresh extraction of the slug, owned by {@code user} if not null. */
  Path prepare(Path slug, AppUser user) throws IOException {
    Path app = appDir();
    synchronized (PARENTS) {
      Files.createDirectories(dir);
      // The app user must be able to traverse to /app's source (bwrap runs as that user).
      Files.setPosixFilePermissions(dir.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    }
    deleteTree(app);
    Files.createDirectory(app);
    // Owner-only: other apps run as other uids and must not read this one's files.
    Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rwx------"));
    SlugExtractor.extract(slug, app);
    if (user != null) chown(app, user);
    return app;
  }

  /** Removes the instance directory, and the app's directory once no instance is left in it. */
  void delete() throws IOException {
    deleteTree(dir);
    synchronized (PARENTS) {
      try {
        Files.deleteIfExists(dir.getParent());
      } catch (java.nio.file.DirectoryNotEmptyException e) {
        // Other instances of the app still live there.
      }
    }
  }

  /** Gives every entry to the user without following symbolic links (like {@code chown -R}). */
  private static void chown(Path top, AppUser user) throws IOException {
    Files.walkFileTree(
        top,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
              throws IOException {
            own(d);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            own(file);
            return FileVisitResult.CONTINUE;
          }

          private void own(Path p) throws IOException {
            Files.setAttribute(p, "unix:uid", user.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(p, "unix:gid", user.gid(), LinkOption.NOFOLLOW_LINKS);
          }
        });
  }

  /** Deletes a tree without following symbolic links; a missing tree is fine. */
  static void deleteTree(Path top) throws IOException {
    if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) return;
    Files.walkFileTree(
        top,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null && !(e instanceof NoSuchFileException)) throw e;
            delete(d);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
            throw e;
          }

          private void delete(Path p) throws IOException {
            Files.deleteIfExists(p);
          }
        });
  }
}
