package dev.pier.drains;

import dev.pier.model.LogLine;
import java.io.IOException;
import java.util.List;

/**
 * Delivers batches to one destination. Used by a single drain thread only; not thread-safe.
 */
interface Transport {
  /**
   * Delivers a batch, connecting first if needed. Returns only when the destination has it (syslog:
   * written to the socket; HTTP: answered 2xx).
   *
   * @throws IOException the attempt failed; the message says why in words a user can act on
   * @throws InterruptedException the drain is closing
   */
  void send(List<LogLine> batch) throws IOException, InterruptedException;

  /** Whether the last attempt left a usable connection (syslog) or succeeded (HTTP). */
  boolean connected();

  /** The most lines worth sending in one {@link #send}. */
  int maxBatch();

  /** How long to wait for a batch to fill; zero sends whatever is queued at once. */
  long maxDelayNanos();

  /** Attempts per batch before it is dropped; {@code Integer.MAX_VALUE} keeps retrying. */
  int maxAttempts();

  /** Releases sockets and clients. Called by the drain thread as it exits. */
  void close();
}
