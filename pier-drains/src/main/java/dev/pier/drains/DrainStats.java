package dev.pier.drains;

/**
 * What a drain has done since it was opened; a snapshot, safe to serialise.
 *
 * @param sent lines handed over to the destination: written to the syslog socket, or in an HTTP
 *     batch answered with 2xx
 * @param dropped lines discarded without delivery: the queue was full, an HTTP batch failed every
 *     attempt, or the drain closed with the line still queued
 * @param failures failed attempts: connects, writes and HTTP requests (each retry counts)
 * @param lastError the last failure's message, or null if nothing has failed yet
 * @param connected syslog: a connection is open; HTTP: the last request succeeded
 * @param queued lines waiting in the queue right now
 */
public record DrainStats(
    long sent, long dropped, long failures, String lastError, boolean connected, int queued) {
  public DrainStats {
    if (sent < 0 || dropped < 0 || failures < 0 || queued < 0) {
      throw new IllegalArgumentException("drain counters cannot be negative");
    }
  }
}
