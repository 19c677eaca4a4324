package dev.pier.runtime;

/**
 * How much an instance may write: past it, writes fail with ENOSPC (the app's problem) and the
 * platform's disk is spared.
 *
 * @param appBytes the size of its {@code /app} (the unpacked slug counts), or 0 for no cap
 * @param tmpBytes the size of its {@code /tmp} (kept in memory: it counts against the memory
 *     limit too), or 0 for no cap of its own
 */
public record DiskQuota(long appBytes, long tmpBytes) {
  /** Nothing capped. */
  public static final DiskQuota NONE = new DiskQuota(0, 0);

  /** Below this a disk could not hold its own filesystem. */
  public static final long MIN_BYTES = 4L << 20;

  public DiskQuota {
    if (appBytes != 0 && appBytes < MIN_BYTES) {
      throw new IllegalArgumentException("/app quota must be 0 (none) or at least 4 MB: " + appBytes);
    }
    if (tmpBytes < 0) throw new IllegalArgumentException("negative /tmp quota: " + tmpBytes);
  }
}
