package dev.pier.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Forces files and directory entries to the device, for files the state store points at (slugs):
 * a release row must never reach the disk before the slug it names.
 */
public final class Fsync {
  private Fsync() {}

  /** Forces {@code file}'s data and then its directory entry to the device. */
  public static void fileAndDirectory(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ch.force(true);
    }
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
        ch.force(true);
      } catch (IOException ignored) {
        // Some filesystems refuse fsync on directories; the file itself is on the device.
      }
    }
  }
}
