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
        public Disk keep(Path dir, long bytes) throws IOException {
          return create(dir, bytes);
        }

        @Override
        public void discard(Path dir) {}

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

  /**
   * Mounts the long-lived data disk of {@code dir} (an add-on's folder): the image kept there, as
   * it is (it keeps the size it was made with), or, when there is no image yet, a fresh one of
   * {@code bytes} with a <em>journaled</em> filesystem (a database on it survives a machine crash).
   * A kept image is never replaced: when it cannot be mounted this fails and the image stays.
   * What a killed earlier run left mounted at {@code dir} is unmounted first; the image is never
   * mounted twice (fails while a loop device of an earlier run still holds it). {@link
   * Disk#close()} unmounts it and keeps its contents; {@link #discard} deletes it.
   *
   * @throws IOException if the disk cannot be mounted; a fresh image made by this call is deleted then
   */
  Disk keep(Path dir, long bytes) throws IOException;

  /**
   * Unmounts whatever disk is mounted at {@code dir} and deletes its image, {@code DIR.img} (the
   * directory itself is left to the caller). A no-op when there is none; call it only while
   * nothing uses the disk.
   */
  void discard(Path dir) throws IOException;

  /** The image file a disk of {@code dir} lives in: {@code DIR.img} beside it. */
  static Path imageOf(Path dir) {
    return LoopDisks.imageOf(dir);
  }

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
