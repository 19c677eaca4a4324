package dev.pier.datastores.run;

import dev.pier.datastores.DatastoreException;
import dev.pier.datastores.StoreSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An add-on's folder: {@code spec.dataDir()}, mode 0700 and owned by the add-on's uid, so no app
 * (another uid) can enter it; Pier (root) can. Inside the server's sandbox it is {@code /app}.
 * It also holds the {@code passwd} and {@code group} files the sandbox shows as {@code /etc/passwd}
 * (servers such as PostgreSQL look their uid up by name) and Pier's own {@code pier.properties}
 * (admin secrets, root-only).
 */
public final class DataDir {
  /** Marks a complete create: without it, create starts over. */
  static final String CREATED = "pier-created";

  private DataDir() {}

  /** Removes whatever is there and makes the folder anew, empty, 0700, owned by the add-on's uid. */
  public static void recreate(StoreSpec spec) throws DatastoreException {
    recreate(spec, () -> {});
  }

  /** What is done to the empty folder before it is filled (mount its disk there). */
  @FunctionalInterface
  public interface Prepare {
    void run() throws DatastoreException;
  }

  /**
   * Removes whatever is there and makes the folder anew; {@code prepare} runs on the empty folder
   * (mounting the add-on's disk there), then what is there is made 0700 and owned by the add-on's
   * uid (the mounted filesystem's root, then) and filled.
   */
  public static void recreate(StoreSpec spec, Prepare prepare) throws DatastoreException {
    if (!spec.dataDir().isAbsolute() || spec.dataDir().getNameCount() < 2) {
      throw new DatastoreException("refusing to use " + spec.dataDir() + " as an add-on's folder");
    }
    delete(spec.dataDir());
    try {
      Files.createDirectories(spec.dataDir());
      prepare.run();
      Files.setPosixFilePermissions(spec.dataDir(), PosixFilePermissions.fromString("rwx------"));
      write(spec, "passwd",
          "root:x:0:0:root:/root:/bin/false\npier-addon:x:" + uid(spec) + ":" + uid(spec) + ":Pier add-on:/app:/bin/false\n");
      write(spec, "group", "root:x:0:\npier-addon:x:" + uid(spec) + ":\n");
      chown(spec, spec.dataDir());
    } catch (IOException e) {
      throw new DatastoreException("could not make the add-on's folder: " + e.getMessage(), e);
    }
  }

  /** The uid the server runs as: the spec's, or this process's own when it is -1. */
  public static int uid(StoreSpec spec) {
    return spec.uid() >= 0 ? spec.uid() : currentUid();
  }

  private static int currentUid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException e) {
      return 0;
    }
  }

  /** Writes a file (0600) into the data dir, owned by the add-on's uid. */
  public static Path write(StoreSpec spec, String name, String content) throws DatastoreException {
    Path file = spec.dataDir().resolve(name);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      // The folder is the add-on's uid's: whatever it left at tmp (a symlink to a file of root's)
      // is removed, not followed, and the new file is made with O_EXCL, which follows no link.
      Files.deleteIfExists(tmp);
      try (var out = Files.newByteChannel(tmp, java.util.Set.of(java.nio.file.StandardOpenOption.CREATE_NEW,
          java.nio.file.StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) out.write(bytes);
      }
      chown(spec, tmp);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      throw new DatastoreException("could not write " + name + ": " + e.getMessage(), e);
    }
  }

  /** Makes a folder (0700) in the data dir owned by the add-on's uid. */
  public static Path mkdir(StoreSpec spec, String name) throws DatastoreException {
    Path dir = spec.dataDir().resolve(name);
    try {
      if (Files.isSymbolicLink(dir)) Files.delete(dir); // left by the add-on's uid: never followed
      Files.createDirectories(dir);
      Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setPermissions(PosixFilePermissions.fromString("rwx------"));
      chown(spec, dir);
      return dir;
    } catch (IOException e) {
      throw new DatastoreException("could not make " + name + ": " + e.getMessage(), e);
    }
  }

  /** Gives {@code path} (not what is below it) to the add-on's uid. */
  public static void chown(StoreSpec spec, Path path) throws IOException {
    if (spec.uid() < 0) return;
    Files.setAttribute(path, "unix:uid", spec.uid(), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(path, "unix:gid", spec.uid(), LinkOption.NOFOLLOW_LINKS);
  }

  /** Gives everything under {@code path} to the add-on's uid. */
  public static void chownTree(StoreSpec spec, Path path) throws DatastoreException {
    if (spec.uid() < 0) return;
    try (Stream<Path> all = Files.walk(path)) {
      for (Path p : (Iterable<Path>) all::iterator) chown(spec, p);
    } catch (IOException e) {
      throw new DatastoreException("could not give " + path.getFileName() + " to the add-on's user: " + e.getMessage(), e);
    }
  }

  /** Marks the create as complete. */
  public static void markCreated(StoreSpec spec) throws DatastoreException {
    write(spec, CREATED, "ok\n");
  }

  public static boolean created(StoreSpec spec) {
    return Files.isRegularFile(spec.dataDir().resolve(CREATED));
  }

  /** Deletes a folder and everything in it; a no-op when it is missing. */
  public static void delete(Path dir) throws DatastoreException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new DatastoreException("could not delete the add-on's folder: " + e.getMessage(), e);
    }
  }

  /** The size of everything under {@code dir} in bytes, or -1. */
  public static long size(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return -1;
    }
  }

  static Comparator<Path> deepestFirst() {
    return Comparator.comparingInt(Path::getNameCount).reversed();
  }
}
