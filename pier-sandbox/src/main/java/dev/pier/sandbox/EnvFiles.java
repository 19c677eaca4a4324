package dev.pier.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The files that hand a sandbox its environment: bwrap {@code --args} data ({@code --setenv K V},
 * NUL-separated), each 0600 in a 0700 folder of this process's user, so no other local user can
 * read a config var.
 */
final class EnvFiles {
  private static final AtomicLong COUNTER = new AtomicLong();
  private static volatile Path dir;

  private EnvFiles() {}

  /** How old a file or folder of another run must be before {@link #folder} clears it away. */
  private static final long STALE_MILLIS = 10 * 60_000L;

  /**
   * A fresh path for one launch's file; nothing is written yet. Never throws: when no private
   * folder can be had, the path is one {@link #write} will refuse with an IOException, which the
   * caller reports as a failed start.
   */
  static Path next() {
    String name = "env-" + COUNTER.incrementAndGet();
    try {
      return folder().resolve(name);
    } catch (UncheckedIOException e) {
      return Path.of(System.getProperty("java.io.tmpdir"), "pier-sandbox-env-unavailable", name);
    }
  }

  /**
   * This process's private folder, made at first use; made anew (another name) when the one in
   * use is no longer this user's own 0700 folder (a cleaner of old temporary files removed it and
   * another local user took the name).
   */
  static Path folder() {
    Path d = dir;
    if (d != null && isPrivate(d)) return d;
    synchronized (EnvFiles.class) {
      if (dir == null || !isPrivate(dir)) {
        try {
          Path made = Files.createTempDirectory("pier-sandbox-env-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
          made.toFile().deleteOnExit();
          if (dir == null) clearStale(made.getParent(), made);
          dir = made;
        } catch (IOException e) {
          throw new UncheckedIOException("cannot make the folder for sandbox environments", e);
        }
      }
      return dir;
    }
  }

  /**
   * Deletes what runs killed before they could (a file written, the launcher never started):
   * files older than {@link #STALE_MILLIS} in this user's other {@code pier-sandbox-env-*} folders,
   * then those folders once empty and as old. A live run's folder is never that old and empty at
   * once for long, and a removed one is made again.
   */
  private static void clearStale(Path tmp, Path mine) {
    long before = System.currentTimeMillis() - STALE_MILLIS;
    try (var folders = Files.newDirectoryStream(tmp, "pier-sandbox-env-*")) {
      for (Path folder : folders) {
        if (folder.equals(mine) || !isPrivate(folder)) continue;
        try (var files = Files.newDirectoryStream(folder)) {
          for (Path f : files) {
            if (Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toMillis() < before) Files.deleteIfExists(f);
          }
        }
        if (Files.getLastModifiedTime(folder, LinkOption.NOFOLLOW_LINKS).toMillis() < before) {
          try {
            Files.delete(folder);
          } catch (IOException notEmpty) {
            // Still in use, or newer files: left for a later start.
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // Best effort: a stale 0600 file in a 0700 folder is readable by this user only.
    }
  }

  private static boolean isPrivate(Path folder) {
    try {
      return Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
          && Files.getAttribute(folder, "unix:uid", LinkOption.NOFOLLOW_LINKS)
              .equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))
          && Files.getPosixFilePermissions(folder, LinkOption.NOFOLLOW_LINKS)
              .equals(PosixFilePermissions.fromString("rwx------"));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Writes {@code env} as bwrap arguments into a new 0600 {@code file}. A name or value holding a
   * NUL is refused (IOException): NUL separates bwrap's arguments, so it would smuggle in options
   * of the app's choosing (a bind of any host path). A file cut off by a failed write is deleted.
   */
  static void write(Path file, Map<String, String> env) throws IOException {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      if (e.getKey().indexOf('\0') >= 0 || e.getValue().indexOf('\0') >= 0) {
        throw new IOException("environment variable " + e.getKey().replace('\0', '?')
            + " holds a NUL character, which no process environment can carry");
      }
      for (String arg : new String[] {"--setenv", e.getKey(), e.getValue()}) {
        data.writeBytes(arg.getBytes(StandardCharsets.UTF_8));
        data.write(0);
      }
    }
    ensurePrivate(file.getParent());
    boolean written = false;
    try (SeekableByteChannel out = Files.newByteChannel(file,
        java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      ByteBuffer buffer = ByteBuffer.wrap(data.toByteArray());
      while (buffer.hasRemaining()) out.write(buffer);
      written = true;
    } finally {
      if (!written) delete(file);
    }
  }

  /**
   * Makes the folder again when something (a cleaner of old temporary files) removed it, and
   * refuses one that is not this user's own 0700 folder (another user made one in its place).
   */
  private static void ensurePrivate(Path folder) throws IOException {
    if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
      try {
        Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // Made meanwhile: checked below.
      }
    }
    Object owner = Files.getAttribute(folder, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    Object self = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS) || !owner.equals(self)
        || !Files.getPosixFilePermissions(folder, LinkOption.NOFOLLOW_LINKS).equals(PosixFilePermissions.fromString("rwx------"))) {
      throw new IOException(folder + " is not this user's private folder: not writing a sandbox's environment there");
    }
  }

  /** Deletes {@code file} if the launcher has not already. */
  static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // Still 0600 in a 0700 folder; the next delete attempt or a reboot clears it.
    }
  }
}
