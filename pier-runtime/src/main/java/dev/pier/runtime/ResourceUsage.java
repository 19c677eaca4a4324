package dev.pier.runtime;

/**
 * Resources used by all processes of one instance together, and its limits, so {@code pier ps}
 * can show "used of limit".
 *
 * @param rssBytes resident anonymous memory (page cache excluded)
 * @param cpuNanos CPU time consumed since the instance's current process started
 * @param memoryLimitBytes the memory limit of the instance ({@link InstanceSpec#memoryLimitBytes()}),
 *     0 when unknown
 * @param cpus the CPU limit of the instance in cores ({@link InstanceSpec#cpus()}), 0 when none
 */
public record ResourceUsage(long rssBytes, long cpuNanos, long memoryLimitBytes, double cpus) {
  /** Usage without known limits. */
  public ResourceUsage(long rssBytes, long cpuNanos) {
    this(rssBytes, cpuNanos, 0, 0);
  }
}
