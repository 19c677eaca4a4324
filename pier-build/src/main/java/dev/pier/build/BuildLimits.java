package dev.pier.build;

import dev.pier.sandbox.CgroupLimits;
import java.time.Duration;

/**
 * What one build may use. Memory, processes and CPU apply to each build step (such as {@code npm
 * ci}) through its own cgroup, where the host has cgroups; the timeout applies to the whole build.
 *
 * @param memoryBytes memory of all processes of a step together; past it the kernel kills one
 * @param pidsMax processes and threads of a step at once; fork() fails past it
 * @param cpuMillicores CPU time per second in thousandths of a core, 0 for no limit
 * @param timeout how long the whole build may run; its running step is killed then
 */
public record BuildLimits(long memoryBytes, int pidsMax, int cpuMillicores, Duration timeout) {
  public static final int DEFAULT_PIDS = 1024;
  public static final int DEFAULT_CPU_MILLICORES = 1000;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(15);
  private static final long MIN_DEFAULT_MEMORY = 2L << 30;

  /** 2 GiB, 1024 processes, one core, 15 minutes. */
  public static final BuildLimits DEFAULT = defaults(0);

  public BuildLimits {
    new CgroupLimits(memoryBytes, pidsMax, cpuMillicores); // validates
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("build timeout must be positive: " + timeout);
    }
  }

  /** The defaults on a server whose instances get {@code instanceMemoryBytes}: twice that, at least 2 GiB. */
  public static BuildLimits defaults(long instanceMemoryBytes) {
    return new BuildLimits(Math.max(MIN_DEFAULT_MEMORY, 2 * instanceMemoryBytes), DEFAULT_PIDS,
        DEFAULT_CPU_MILLICORES, DEFAULT_TIMEOUT);
  }

  public BuildLimits withTimeout(Duration newTimeout) {
    return new BuildLimits(memoryBytes, pidsMax, cpuMillicores, newTimeout);
  }

  CgroupLimits cgroup() {
    return new CgroupLimits(memoryBytes, pidsMax, cpuMillicores);
  }
}
