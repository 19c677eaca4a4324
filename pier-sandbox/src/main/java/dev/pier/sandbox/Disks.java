package dev.pier.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes size-capped directories ({@link Disk}s) for what app code writes: an instance's {@code
 * /app}, a build's source tree and cache. {@link #loop()} caps them with a loop-mounted ext4 image
 * each (root only); {@link #NONE} hands out plain directories.
 *
 * <p>A disk's image is the file {@code DIR.img} beside its directory. Implementations are
 * thread-safe.
 */
public interface Disks {
  /** Plain directories, nothing capped. */
  Disks NONE =
      new Disks() {
        @Override
        public Disk create(Path dir, long bytes) throws IOException {
          Files.createDirectories(dir);
          return Disk.plain(dir);
        }

        @Override
        public Disk open(Path dir, long bytes) throws IOException {
          return create(dir, bytes);
        }

        @Override
        public int reapLeftovers(Path under) {
          return 0;
        }

        @Override
        public boolean caps() {
          return false;
        }
      };

  /**
   * Makes {@code dir} (created if missing, and empty) a fresh disk of {@code bytes}: whatever an
   * earlier disk there held is gone. {@link Disk#close()} deletes it again.
   *
   * @throws IOException if the disk cannot be made; nothing is left mounted then
   */
  Disk create(Path dir, long bytes) throws IOException;

  /**
   * Mounts the disk an earlier {@code open} of {@code dir} kept, or a fresh one when there is none
   * or it had another size. {@link Disk#close()} unmounts it and keeps its contents.
   */
  Disk open(Path dir, long bytes) throws IOException;

  /**
   * Unmounts every disk mounted under {@code under} (a server killed with SIGKILL left them),
   * deepest first, and detaches their loop devices; returns how many. Call it only while nothing
   * of {@code under} runs. Images are left to whoever owns their directories.
   */
  int reapLeftovers(Path under);

  /** True when disks made here are really capped. */
  boolean caps();

  /**
   * Loop-mounted ext4 images when this host can make them (root, {@code mkfs.ext4}, {@code mount},
   * {@code /dev/loop-control}); otherwise {@link #NONE}, with a warning saying why.
   */
  static Disks detect() {
    String missing = LoopDisks.missing();
    if (missing == null) return loop();
    LoopDisks.LOG.warn("disk quotas are off ({}): apps can fill the data directory's disk", missing);
    return NONE;
  }

  /** Loop-mounted ext4 images; needs root and the tools {@link #detect()} checks for. */
  static Disks loop() {
    return new LoopDisks();
  }
}
