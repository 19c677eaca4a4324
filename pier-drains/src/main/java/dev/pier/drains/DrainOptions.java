package dev.pier.drains;

import java.time.Duration;
import java.util.Objects;

/**
 * How a drain queues, times out, retries and batches.
 *
 * @param queueCapacity lines a drain holds while the destination is slow or down; more are dropped
 * @param connectTimeout how long a TCP connect may take; it also bounds one syslog write and one
 *     HTTP request, so a destination that accepts but never reads is treated as down after it
 * @param retryBackoffMax the cap of the exponential backoff between attempts (it starts at 100 ms
 *     and doubles)
 * @param httpBatchSize the most lines in one HTTP POST
 * @param httpBatchMaxDelay how long an HTTP drain waits for a batch to fill before sending what it
 *     has
 * @param destinations which addresses a drain may connect to, checked before each connection or
 *     request; this machine's are refused unless allowed
 */
public record DrainOptions(
    int queueCapacity,
    Duration connectTimeout,
    Duration retryBackoffMax,
    int httpBatchSize,
    Duration httpBatchMaxDelay,
    DrainDestinations destinations) {

  public DrainOptions {
    if (queueCapacity < 1) throw new IllegalArgumentException("queueCapacity must be at least 1");
    if (httpBatchSize < 1) throw new IllegalArgumentException("httpBatchSize must be at least 1");
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(retryBackoffMax, "retryBackoffMax");
    Objects.requireNonNull(httpBatchMaxDelay, "httpBatchMaxDelay");
    if (httpBatchMaxDelay.isNegative()) {
      throw new IllegalArgumentException("httpBatchMaxDelay cannot be negative");
    }
    Objects.requireNonNull(destinations, "destinations");
  }

  /** Options that refuse this machine's addresses ({@link DrainDestinations#remoteOnly()}). */
  public DrainOptions(
      int queueCapacity, Duration connectTimeout, Duration retryBackoffMax, int httpBatchSize,
      Duration httpBatchMaxDelay) {
    this(queueCapacity, connectTimeout, retryBackoffMax, httpBatchSize, httpBatchMaxDelay,
        DrainDestinations.remoteOnly());
  }

  /** These options with other allowed destinations. */
  public DrainOptions withDestinations(DrainDestinations allowed) {
    return new DrainOptions(queueCapacity, connectTimeout, retryBackoffMax, httpBatchSize,
        httpBatchMaxDelay, allowed);
  }

  /**
   * 10 000 queued lines, 5 s timeouts, backoff up to 30 s, HTTP batches of 500 lines or 1 s; no
   * local destinations.
   */
  public static DrainOptions defaults() {
    return new DrainOptions(
        10_000, Duration.ofSeconds(5), Duration.ofSeconds(30), 500, Duration.ofSeconds(1));
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
  }
}
