package dev.pier.cron;

import java.time.Duration;

/**
 * How a failed URL job is retried, as App Engine's {@code retry_parameters}: up to {@code
 * retryLimit} more attempts while the first attempt is younger than {@code ageLimit} (null: no
 * age limit); the wait before retry {@code n} (1-based) is {@code minBackoff} doubled {@code n - 1}
 * times, at most {@code maxDoublings} times, and never more than {@code maxBackoff}.
 */
public record RetryParameters(int retryLimit, Duration ageLimit, Duration minBackoff, Duration maxBackoff, int maxDoublings) {
  /** No retries: a job without {@code retry_parameters}. */
  public static final RetryParameters NONE =
      new RetryParameters(0, null, Duration.ofSeconds(5), Duration.ofHours(1), 5);

  /** The most retries a job may ask for, as App Engine. */
  public static final int MAX_RETRIES = 5;

  public RetryParameters {
    if (retryLimit < 0 || retryLimit > MAX_RETRIES) {
      throw new IllegalArgumentException("job_retry_limit must be 0 to " + MAX_RETRIES + ", got " + retryLimit);
    }
    if (minBackoff.isNegative() || maxBackoff.isNegative()) throw new IllegalArgumentException("backoff must not be negative");
    if (maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException("max_backoff_seconds must not be less than min_backoff_seconds");
    }
    if (maxDoublings < 0) throw new IllegalArgumentException("max_doublings must not be negative");
    if (ageLimit != null && (ageLimit.isNegative() || ageLimit.isZero())) {
      throw new IllegalArgumentException("job_age_limit must be positive");
    }
  }

  /** The wait before retry {@code n} (1-based). */
  public Duration backoff(int n) {
    int doublings = Math.min(Math.max(n - 1, 0), Math.min(maxDoublings, 30));
    Duration wait = minBackoff.multipliedBy(1L << doublings);
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }
}
