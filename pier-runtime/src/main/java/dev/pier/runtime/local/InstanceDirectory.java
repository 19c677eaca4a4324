package dev.pier.runtime.local;

import dev.pier.runtime.SlugSource;
import dev.pier.sandbox.AppUser;
import dev.pier.sandbox.Disk;
import dev.pier.sandbox.Disks;
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
 * filesystem). With a quota, {@code app} is a {@link Disk} of its own ({@code app.img} beside it),
 * made fresh for every run and given back by the next {@link #prepare} or {@link #delete}.
 */
final class InstanceDirectory {
  /** Serialises creating and removing the shared per-app parent directories. */
  private static final Object PARENTS = new Object();

  private final Path dir;
  private final Disks disks;
  /** The disk of the current run; only the supervising thread changes it. */
  private volatile Disk disk;

  InstanceDirectory(Path runDir, String app, String name, Disks disks) {
    this.dir = runDir.resolve(app).resolve(name);
    this.disks = disks;
  }

  /** The disk {@code app} is on in the current run, or null before the first run and after delete. */
  Disk disk() {
    return disk;
  }

  Path appDir() {
    return dir.resolve("app");
  }

  /**
   * Replaces {@code app} by a fresh extraction of the slug, owned by {@code user} if not null, on a
   * disk of {@code quotaBytes} (0: a plain directory).
   *
   * @throws IOException naming the quota when the unpacked slug does not fit in it
   */
  Path prepare(SlugSource slug, AppUser user, long quotaBytes) throws IOException {
    Path app = appDir();
    synchronized (PARENTS) {
      Files.createDirectories(dir);
      // The app user must be able to traverse to /app's source (bwrap runs as that user).
      Files.setPosixFilePermissions(dir.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    }
    closeDisk();
    deleteTree(app);
    if (quotaBytes > 0) {
      disk = disks.create(app, quotaBytes);
    } else {
      Files.createDirectory(app);
    }
    // Owner-only: other apps run as other uids and must not read this one's files.
    Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rwx------"));
    try {
      SlugExtractor.extract(slug, app);
    } catch (IOException e) {
      Disk current = disk;
      if (current != null && current.full()) {
        throw new IOException("the unpacked slug does not fit in the disk quota of "
            + (current.capBytes() >> 20) + " MB on /app", e);
      }
      throw e;
    }
    if (user != null) chown(app, user);
    return app;
  }

  private void closeDisk() {
    Disk current = disk;
    disk = null;
    if (current != null) current.close();
  }

  /**
   * Removes the instance directory (unmounting its disk first), and the app's directory once no
   * instance is left in it.
   */
  void delete() throws IOException {
    closeDisk();
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
