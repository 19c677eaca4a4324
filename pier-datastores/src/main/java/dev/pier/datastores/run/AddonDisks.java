package dev.pier.datastores.run;

import dev.pier.datastores.DatastoreException;
import dev.pier.datastores.StoreSpec;
import dev.pier.sandbox.Disk;
import dev.pier.sandbox.Disks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The disks add-on folders live on: each add-on whose plan keeps data ({@code storageBytes > 0})
 * gets a loop-mounted, journaled ext4 image of that size, {@code DIR.img} beside its folder,
 * mounted at the folder while the add-on is in use ({@link Disks#keep}), kept across stops and
 * restarts of Pier, deleted only with the add-on. Where the host cannot make loop disks, add-on
 * folders are plain folders without a cap.
 */
final class AddonDisks {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AddonDisks.class);
  private final Disks disks;
  /** Disks this process mounted, by add-on name. */
  private final Map<String, Disk> mounted = new HashMap<>();

  AddonDisks(Disks disks) {
    this.disks = disks;
  }

  /** True when the add-on's storage is capped by a disk of its own. */
  boolean caps(StoreSpec spec) {
    return disks.caps() && spec.plan().storageBytes() > 0;
  }

  /** True when the host caps add-on storage at all (loop disks). */
  boolean available() {
    return disks.caps();
  }

  /**
   * Mounts the add-on's disk at its folder unless it is mounted already (made when it has none),
   * then looks after its {@link #RESERVE} file. An add-on made without a disk (its folder already
   * complete, no image) is left as it is, uncapped: a new empty disk mounted over it would hide
   * its data.
   */
  synchronized void mount(StoreSpec spec) throws DatastoreException {
    if (!caps(spec) || mounted.containsKey(spec.name())) return;
    if (!Files.exists(Disks.imageOf(spec.dataDir()), LinkOption.NOFOLLOW_LINKS)
        && Files.exists(spec.dataDir().resolve(DataDir.CREATED), LinkOption.NOFOLLOW_LINKS)) {
      LOG.warn("add-on {} was made without a disk: its storage stays uncapped", spec.name());
      return;
    }
    try {
      mounted.put(spec.name(), disks.keep(spec.dataDir(), spec.plan().storageBytes()));
    } catch (IOException | RuntimeException e) {
      throw new DatastoreException("could not mount the disk of add-on " + spec.name() + " ("
          + Disks.imageOf(spec.dataDir()) + "): " + e.getMessage(), e);
    }
    keepReserve(spec);
  }

  /** The file on each disk that Pier gives back when the disk is full ({@link #keepReserve}). */
  static final String RESERVE = ".pier-reserve";

  /** The reserve's size: 1 % of the disk, 4 to 64 MiB. */
  static long reserveBytes(long diskBytes) {
    return Math.max(4L << 20, Math.min(64L << 20, diskBytes / 100));
  }

  /**
   * Room held back on the disk so that a server whose disk filled up can start again: PostgreSQL
   * rewrites files at every start (its cache of the catalog, the end of recovery) and would
   * refuse every connection on a full disk, so nobody could delete rows to make room. At each
   * mount: on a disk with less free space than the reserve, the reserve is deleted (logged); on
   * one with plenty again, it is written anew (real blocks, not a sparse file).
   */
  private void keepReserve(StoreSpec spec) {
    java.nio.file.Path reserve = spec.dataDir().resolve(RESERVE);
    long size = reserveBytes(spec.plan().storageBytes());
    try {
      long free = Files.getFileStore(spec.dataDir()).getUsableSpace();
      boolean held = Files.exists(reserve, LinkOption.NOFOLLOW_LINKS);
      if (held && free < size) {
        Files.delete(reserve);
        LOG.warn("add-on {}: its disk is full; released {} MiB held back so its server can start."
            + " Make room (drop or delete data) before it fills again", spec.name(), size >> 20);
      } else if (!held && free > 4 * size) {
        java.nio.file.Path tmp = spec.dataDir().resolve(RESERVE + ".tmp");
        Files.deleteIfExists(tmp);
        try (var out = Files.newByteChannel(tmp, java.util.Set.of(java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS))) {
          java.nio.ByteBuffer zeros = java.nio.ByteBuffer.allocate(1 << 20);
          for (long written = 0; written < size; written += 1 << 20) {
            zeros.clear();
            while (zeros.hasRemaining()) out.write(zeros);
          }
        }
        Files.move(tmp, reserve, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("add-on {}: could not look after its disk's reserve: {}", spec.name(), e.getMessage());
    }
  }

  /** Mounts the add-on's disk if it has one already (a create that may have completed). */
  void mountIfMade(StoreSpec spec) throws DatastoreException {
    if (caps(spec) && Files.exists(Disks.imageOf(spec.dataDir()), LinkOption.NOFOLLOW_LINKS)) mount(spec);
  }

  /** Unmounts the add-on's disk (its data stay in the image); a no-op when not mounted here. */
  synchronized void unmount(String name) {
    Disk disk = mounted.remove(name);
    if (disk != null) disk.close();
  }

  /** Unmounts the add-on's disk, also one a killed earlier run left mounted, and deletes its image. */
  synchronized void discard(StoreSpec spec) throws DatastoreException {
    unmount(spec.name());
    if (!disks.caps()) return;
    try {
      disks.discard(spec.dataDir());
    } catch (IOException e) {
      throw new DatastoreException("could not delete the disk of add-on " + spec.name() + ": " + e.getMessage(), e);
    }
  }

  /** Unmounts every disk mounted here. */
  synchronized void unmountAll() {
    for (Disk disk : mounted.values()) disk.close();
    mounted.clear();
  }
}
