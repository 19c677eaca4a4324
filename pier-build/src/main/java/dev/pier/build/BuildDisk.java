package dev.pier.build;

import dev.pier.sandbox.AppUser;
import dev.pier.sandbox.Disk;
import dev.pier.sandbox.Disks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Where one build writes when its disk is capped: the app's kept disk {@code CACHE/disk} (image
 * {@code CACHE/disk.img}, {@code CACHE} being the app's cache directory), holding {@code app}, a
 * copy of the source tree that is built, and {@code cache}, the build cache that later builds
 * reuse. Both count against one cap, {@link BuildLimits#diskBytes()}: a build that writes more
 * gets ENOSPC and fails saying so, and the data disk is spared.
 *
 * <p>The cache is emptied before a build when it holds more than half the disk, so an old cache
 * cannot starve the builds that follow. Builds of one app must not overlap (they share the disk).
 */
final class BuildDisk implements AutoCloseable {
  static final String DISK = "disk";
  private static final long COPY_TIMEOUT_MINUTES = 10;

  private final Disk disk;

  private BuildDisk(Disk disk) {
    this.disk = disk;
  }

  /**
   * Mounts the app's disk, empties what a cut-off build left in it, copies the source in and hands
   * both directories to {@code user} (when not null).
   */
  static BuildDisk open(
      Disks disks, BuildRequest request, long bytes, BuildOutput out, Ownership ownership)
      throws BuildFailure, IOException {
    Path cacheDir = request.cacheDir();
    Files.createDirectories(cacheDir);
    // The app user passes through it to the disk (the sandbox binds as that user); root keeps it.
    Files.setPosixFilePermissions(cacheDir, PosixFilePermissions.fromString("rwx--x--x"));
    dropUncappedCache(cacheDir);
    BuildDisk build = new BuildDisk(disks.open(cacheDir.resolve(DISK), bytes));
    try {
      build.fill(request, out, ownership);
      return build;
    } catch (BuildFailure | IOException | RuntimeException e) {
      build.close();
      throw e;
    }
  }

  private void fill(BuildRequest request, BuildOutput out, Ownership ownership)
      throws BuildFailure, IOException {
    Path root = disk.dir();
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
    deleteTree(appDir());
    long used = disk.capBytes() - disk.freeBytes();
    if (used > disk.capBytes() / 2) {
      out.info("Clearing the build cache: it held " + (used >> 20) + " MB of the build's "
          + mb() + " MB disk");
      deleteTree(cacheDir());
    }
    Files.createDirectories(cacheDir());
    Files.createDirectory(appDir());
    copySource(request.sourceDir(), appDir());
    AppUser user = request.user();
    if (user != null) {
      ownership.requireReachable(appDir(), user);
      ownership.chown(appDir(), user);
      ownership.chown(cacheDir(), user);
    }
  }

  /** The copy of the source tree that is built, on the host. */
  Path appDir() {
    return disk.dir().resolve("app");
  }

  /** The build cache, on the host. */
  Path cacheDir() {
    return disk.dir().resolve("cache");
  }

  Disk disk() {
    return disk;
  }

  /** The cap in MB, for messages. */
  long mb() {
    return disk.capBytes() >> 20;
  }

  /** The failure of a build that wrote more than its disk holds. */
  BuildFailure full(String what) {
    return new BuildFailure(what + ": the build used more than " + mb() + " MB of disk"
        + " (its source, dependencies and build cache together)");
  }

  /** Deletes the built copy (its blocks go back to the data disk) and unmounts. */
  @Override
  public void close() {
    try {
      deleteTree(appDir());
    } catch (IOException e) {
      // Deleted at the next build's start.
    }
    disk.close();
  }

  /**
   * A cache directory used without a cap holds the cache itself: once caps apply, that is dropped
   * (it is only a cache), so it does not sit beside the capped one for good.
   */
  private static void dropUncappedCache(Path cacheDir) throws IOException {
    Set<String> kept = Set.of(DISK, DISK + ".img");
    try (var entries = Files.list(cacheDir)) {
      for (Path p : entries.toList()) {
        if (!kept.contains(p.getFileName().toString())) deleteTree(p);
      }
    }
  }

  /**
   * Without caps, the cache is the cache directory itself: a disk kept there from when caps
   * applied is dropped, so the build does not see it.
   */
  static void dropCappedCache(Path cacheDir) throws IOException {
    Files.deleteIfExists(cacheDir.resolve(DISK + ".img"));
    deleteTree(cacheDir.resolve(DISK));
  }

  private void copySource(Path from, Path to) throws BuildFailure, IOException {
    Process cp =
        new ProcessBuilder("cp", "-a", "--", from.toString() + "/.", to.toString())
            .redirectErrorStream(true)
            .start();
    try {
      cp.getOutputStream().close();
      String output = new String(cp.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!cp.waitFor(COPY_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        cp.destroyForcibly();
        throw new IOException("copying the source tree timed out");
      }
      if (cp.exitValue() == 0) return;
      if (disk.full()) throw full("copying the source");
      throw new IOException("cannot copy the source tree: " + output);
    } catch (InterruptedException e) {
      cp.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new BuildFailure("build was cancelled");
    }
  }

  /** Deletes a tree without following symbolic links; a missing tree is fine. */
  static void deleteTree(Path top) throws IOException {
    if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) return;
    Files.walkFileTree(top, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) throw e;
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
