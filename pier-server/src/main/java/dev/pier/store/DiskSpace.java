package dev.pier.store;

import dev.pier.errors.PlatformException;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The data disk's free space, checked before a change writes to it: below the reserve a change
 * is refused at once with 507 and the reason, instead of failing half way (an app without its
 * repository, a build cut off by ENOSPC). The reserve also leaves room for the state store and
 * the log store to keep working.
 */
public final class DiskSpace {
  /** A guard that never refuses (tests, or a reserve of 0). */
  public static final DiskSpace UNCHECKED = new DiskSpace(null, 0);

  private final Path dir;
  private final long reserveBytes;

  public DiskSpace(Path dir, long reserveBytes) {
    this.dir = dir;
    this.reserveBytes = reserveBytes;
  }

  /** Throws a 507 {@link PlatformException} when less than the reserve is free for {@code action}. */
  public void require(String action) {
    if (dir == null || reserveBytes <= 0) return;
    long free = usableBytes();
    if (free >= 0 && free < reserveBytes) {
      throw PlatformException.insufficientStorage("cannot " + action + ": the data disk has only "
          + mb(free) + " MB free, below the reserve of " + mb(reserveBytes)
          + " MB (PIER_DISK_RESERVE_MB); nothing was changed. Free disk space (or destroy apps) and retry");
    }
  }

  /** Bytes free to this process, or -1 when it cannot be read. */
  public long usableBytes() {
    try {
      FileStore store = Files.getFileStore(dir);
      return store.getUsableSpace();
    } catch (IOException e) {
      return -1;
    }
  }

  private static long mb(long bytes) {
    return bytes >> 20;
  }
}
