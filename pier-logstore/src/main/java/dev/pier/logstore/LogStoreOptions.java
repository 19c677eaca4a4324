package dev.pier.logstore;

import java.time.Duration;

/**
 * Tuning of a {@link LogStore}; tests shrink the queue or the intervals.
 *
 * @param queueCapacity lines that may wait for the writer thread before appends are dropped
 * @param refreshInterval how often new lines are made searchable in the background
 * @param searchRefreshAge how old the searchable view may be before a search refreshes it first
 *     (when lines were added since)
 * @param commitInterval how often the index is committed (made durable)
 * @param ramBufferMb how much the writer buffers in memory before flushing a segment
 * @param writerThreads indexing threads, each with its own share of the queue and its own apps;
 *     one by default: on 2 cores a second writer doubles the segments each refresh flushes, and
 *     the extra merging cost more than the parallel indexing gained (measured with LogStoreBench)
 * @param firstRetryDelay how long after a failed write (a full disk) the index is first reopened
 * @param maxRetryDelay the longest wait between reopen attempts (the wait doubles from the first)
 */
record LogStoreOptions(
    int queueCapacity,
    Duration refreshInterval,
    Duration searchRefreshAge,
    Duration commitInterval,
    double ramBufferMb,
    int writerThreads,
    Duration firstRetryDelay,
    Duration maxRetryDelay) {
  static final LogStoreOptions DEFAULTS =
      new LogStoreOptions(100_000, Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(5), 64, 1,
          Duration.ofSeconds(1), Duration.ofSeconds(30));

  LogStoreOptions {
    if (queueCapacity < 1) throw new IllegalArgumentException("queueCapacity must be positive");
    if (refreshInterval.isNegative() || refreshInterval.isZero()) throw new IllegalArgumentException("refreshInterval");
    if (searchRefreshAge.isNegative()) throw new IllegalArgumentException("searchRefreshAge");
    if (commitInterval.isNegative() || commitInterval.isZero()) throw new IllegalArgumentException("commitInterval");
    if (ramBufferMb < 1) throw new IllegalArgumentException("ramBufferMb must be at least 1");
    if (writerThreads < 1) throw new IllegalArgumentException("writerThreads must be positive");
    if (firstRetryDelay.isNegative() || firstRetryDelay.isZero()) throw new IllegalArgumentException("firstRetryDelay");
    if (maxRetryDelay.compareTo(firstRetryDelay) < 0) throw new IllegalArgumentException("maxRetryDelay");
  }

  LogStoreOptions withQueueCapacity(int capacity) {
    return new LogStoreOptions(capacity, refreshInterval, searchRefreshAge, commitInterval, ramBufferMb, writerThreads, firstRetryDelay, maxRetryDelay);
  }

  LogStoreOptions withRefreshInterval(Duration interval) {
    return new LogStoreOptions(queueCapacity, interval, searchRefreshAge, commitInterval, ramBufferMb, writerThreads, firstRetryDelay, maxRetryDelay);
  }

  LogStoreOptions withWriterThreads(int threads) {
    return new LogStoreOptions(queueCapacity, refreshInterval, searchRefreshAge, commitInterval, ramBufferMb, threads, firstRetryDelay, maxRetryDelay);
  }

  LogStoreOptions withCommitInterval(Duration interval) {
    return new LogStoreOptions(queueCapacity, refreshInterval, searchRefreshAge, interval, ramBufferMb, writerThreads, firstRetryDelay, maxRetryDelay);
  }

  LogStoreOptions withSearchRefreshAge(Duration age) {
    return new LogStoreOptions(queueCapacity, refreshInterval, age, commitInterval, ramBufferMb, writerThreads, firstRetryDelay, maxRetryDelay);
  }

  LogStoreOptions withRamBufferMb(double mb) {
    return new LogStoreOptions(queueCapacity, refreshInterval, searchRefreshAge, commitInterval, mb, writerThreads, firstRetryDelay, maxRetryDelay);
  }

  LogStoreOptions withRetryDelays(Duration first, Duration max) {
    return new LogStoreOptions(queueCapacity, refreshInterval, searchRefreshAge, commitInterval, ramBufferMb, writerThreads, first, max);
  }
}
