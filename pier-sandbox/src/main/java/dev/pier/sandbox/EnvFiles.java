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

  /** A fresh path for one launch's file; nothing is written yet. */
  static Path next() {
    return folder().resolve("env-" + COUNTER.incrementAndGet());
  }

  static Path folder() {
    Path d = dir;
    if (d != null) return d;
    synchronized (EnvFiles.class) {
      if (dir == null) {
        try {
          dir = Files.createTempDirectory("pier-sandbox-env-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot make the folder for sandbox environments", e);
        }
        dir.toFile().deleteOnExit();
      }
      return dir;
    }
  }

  /** Writes {@code env} as bwrap arguments into a new 0600 {@code file}. */
  static void write(Path file, Map<String, String> env) throws IOException {
    ensurePrivate(file.getParent());
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      for (String arg : new String[] {"--setenv", e.getKey(), e.getValue()}) {
        data.writeBytes(arg.getBytes(StandardCharsets.UTF_8));
        data.write(0);
      }
    }
    try (SeekableByteChannel out = Files.newByteChannel(file,
        java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      ByteBuffer buffer = ByteBuffer.wrap(data.toByteArray());
      while (buffer.hasRemaining()) out.write(buffer);
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
