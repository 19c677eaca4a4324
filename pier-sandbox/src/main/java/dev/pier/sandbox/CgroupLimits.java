package dev.pier.sandbox;

/**
 * The limits one cgroup enforces on all its processes together.
 *
 * @param memoryBytes resident memory (and swap, where the kernel accounts it); past it the kernel's
 *     OOM killer kills a process of the cgroup
 * @param pidsMax how many processes and threads may exist at once; fork() fails past it
 * @param cpuMillicores CPU time per wall-clock second in thousandths of a core (1000 = one core),
 *     or 0 for no CPU limit
 */
public record CgroupLimits(long memoryBytes, int pidsMax, int cpuMillicores) {
  public CgroupLimits {
    if (memoryBytes <= 0) throw new IllegalArgumentException("memory limit must be positive");
    if (pidsMax <= 0) throw new IllegalArgumentException("pids limit must be positive");
    if (cpuMillicores < 0) throw new IllegalArgumentException("CPU limit must not be negative");
  }
}
