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

  /** Mounts the add-on's disk at its folder unless it is mounted already (made when it has none). */
  synchronized void mount(StoreSpec spec) throws DatastoreException {
    if (!caps(spec) || mounted.containsKey(spec.name())) return;
    try {
      mounted.put(spec.name(), disks.keep(spec.dataDir(), spec.plan().storageBytes()));
    } catch (IOException | RuntimeException e) {
      throw new DatastoreException("could not mount the disk of add-on " + spec.name() + " ("
          + Disks.imageOf(spec.dataDir()) + "): " + e.getMessage(), e);
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
