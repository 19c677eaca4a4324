package dev.pier.datastores;

/**
 * What an add-on may use.
 *
 * @param name {@code small}, {@code medium}, {@code large}
 * @param memoryBytes the memory limit of the server's cgroup (and its own setting, e.g. Redis's
 *     maxmemory, PostgreSQL's shared_buffers sized from it)
 * @param maxConnections the most client connections the server accepts
 * @param storageBytes the most data it may keep on disk (0 for a cache without disk data)
 */
public record Plan(String name, long memoryBytes, int maxConnections, long storageBytes) {}
