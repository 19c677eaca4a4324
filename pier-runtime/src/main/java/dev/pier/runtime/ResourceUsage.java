package dev.pier.runtime;

/**
 * Resources used by all processes of one instance together.
 *
 * @param rssBytes resident anonymous memory (page cache excluded)
 * @param cpuNanos CPU time consumed since the instance's current process started
 */
public record ResourceUsage(long rssBytes, long cpuNanos) {}
