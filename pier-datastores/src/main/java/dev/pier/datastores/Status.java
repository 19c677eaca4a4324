package dev.pier.datastores;

/**
 * An add-on server's state at one moment.
 *
 * @param state {@code running}, {@code starting}, {@code restarting} (it exited and is being
 *     started again), {@code failed} (it keeps failing; see {@code message}) or {@code stopped}
 * @param pid the server's pid, or -1
 * @param memoryBytes its cgroup's memory use, or -1 when unknown
 * @param connections client connections open now, or -1 when unknown
 * @param dataBytes the size of its data on disk, or -1 when unknown
 * @param version the server's version ({@code PostgreSQL 15.20})
 * @param restarts how often it was restarted since Pier started
 * @param message why it failed last, or empty
 */
public record Status(
    String state, long pid, long memoryBytes, int connections, long dataBytes, String version, int restarts,
    String message) {}
