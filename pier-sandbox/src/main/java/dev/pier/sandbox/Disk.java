package dev.pier.sandbox;

import java.nio.file.Path;

/**
 * A directory whose contents cannot grow past a size: writes past it fail with ENOSPC, and the
 * disk it lives on is spared. Made by {@link Disks}; {@link #close()} gives it back.
 *
 * <p>Thread-safe: {@link #freeBytes()} may be sampled while another thread closes the disk.
 */
public interface Disk extends AutoCloseable {
  /** The capped directory on the host. */
  Path dir();

  /** The cap in bytes, or 0 when the directory is not capped (plain directory). */
  long capBytes();

  /**
   * The bytes still free for files (a little less than the cap when empty: the filesystem's own
   * structures take a few percent), or {@link Long#MAX_VALUE} when not capped.
   */
  long freeBytes();

  /**
   * True when (almost) nothing is left: writes that want more get ENOSPC. The filesystem keeps
   * about 2% back for itself, so "full" is under 2% free (at least 1 MiB, at most 16 MiB).
   */
  default boolean full() {
    long cap = capBytes();
    if (cap == 0) return false;
    long slack = Math.clamp(cap / 50, 1L << 20, 16L << 20);
    return freeBytes() < slack;
  }

  /**
   * Unmounts the directory; a disk made by {@link Disks#create} is deleted with its contents, one
   * from {@link Disks#open} keeps them for the next open. Safe to call more than once.
   */
  @Override
  void close();

  /** A plain, uncapped directory. */
  static Disk plain(Path dir) {
    return new Disk() {
      @Override
      public Path dir() {
        return dir;
      }

      @Override
      public long capBytes() {
        return 0;
      }

      @Override
      public long freeBytes() {
        return Long.MAX_VALUE;
      }

      @Override
      public void close() {}
    };
  }
}
