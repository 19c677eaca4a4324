package dev.pier.build;

import dev.pier.sandbox.CgroupLimits;
import java.time.Duration;

/**
 * What one build may use. Memory, processes and CPU apply to each build step (such as {@code npm
 * ci}) through its own cgroup, where the host has cgroups; the timeout applies to the whole build;
 * the disk to the source tree being built and the app's build cache together, where the builder
 * has {@link dev.pier.sandbox.Disks} that cap.
 *
 * @param memoryBytes memory of all processes of a step together; past it the kernel kills one
 * @param pidsMax processes and threads of a step at once; fork() fails past it
 * @param cpuMillicores CPU time per second in thousandths of a core, 0 for no limit
 * @param timeout how long the whole build may run; its running step is killed then
 * @param diskBytes what {@code /app} and {@code /cache} may hold together; writes past it fail
 *     with ENOSPC and the build fails saying so. 0 for no cap
 * @param tmpBytes the size of each step's {@code /tmp} (in memory: it counts as the step's
 *     memory too), 0 for no cap of its own
 */
public record BuildLimits(
    long memoryBytes, int pidsMax, int cpuMillicores, Duration timeout, long diskBytes, long tmpBytes) {
  public static final long DEFAULT_DISK_BYTES = 2L << 30;
  public static final long DEFAULT_TMP_BYTES = 256L << 20;
  public static final int DEFAULT_PIDS = 1024;
  public static final int DEFAULT_CPU_MILLICORES = 1000;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(15);
  private static final long MIN_DEFAULT_MEMORY = 2L << 30;

  /** 2 GiB, 1024 processes, one core, 15 minutes; 2 GiB of disk and 256 MiB of /tmp. */
  public static final BuildLimits DEFAULT = defaults(0);

  public BuildLimits {
    new CgroupLimits(memoryBytes, pidsMax, cpuMillicores); // validates
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("build timeout must be positive: " + timeout);
    }
    if (diskBytes != 0 && diskBytes < (16L << 20)) {
      throw new IllegalArgumentException("build disk must be 0 (none) or at least 16 MB: " + diskBytes);
    }
    if (tmpBytes < 0) throw new IllegalArgumentException("negative build /tmp size: " + tmpBytes);
  }

  /** Limits with the default disk (2 GiB) and /tmp (256 MiB). */
  public BuildLimits(long memoryBytes, int pidsMax, int cpuMillicores, Duration timeout) {
    this(memoryBytes, pidsMax, cpuMillicores, timeout, DEFAULT_DISK_BYTES, DEFAULT_TMP_BYTES);
  }

  /** The defaults on a server whose instances get {@code instanceMemoryBytes}: twice that, at least 2 GiB. */
  public static BuildLimits defaults(long instanceMemoryBytes) {
    return new BuildLimits(Math.max(MIN_DEFAULT_MEMORY, 2 * instanceMemoryBytes), DEFAULT_PIDS,
        DEFAULT_CPU_MILLICORES, DEFAULT_TIMEOUT);
  }

  public BuildLimits withTimeout(Duration newTimeout) {
    return new BuildLimits(memoryBytes, pidsMax, cpuMillicores, newTimeout, diskBytes, tmpBytes);
  }

  /** These limits with another disk and /tmp size (0: no cap). */
  public BuildLimits withDisk(long newDiskBytes, long newTmpBytes) {
    return new BuildLimits(memoryBytes, pidsMax, cpuMillicores, timeout, newDiskBytes, newTmpBytes);
  }

  CgroupLimits cgroup() {
    return new CgroupLimits(memoryBytes, pidsMax, cpuMillicores);
  }
}
