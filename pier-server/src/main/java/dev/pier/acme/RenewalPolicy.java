package dev.pier.acme;

import java.time.Duration;
import java.time.Instant;

/**
 * When an automatic certificate is renewed, and how long a failed order waits before the next
 * try. Renewal starts when 30 days remain, or a third of the lifetime for short-lived
 * certificates (a 90-day Let's Encrypt certificate: at 60 days; a 6-day one: after 4 days).
 */
public final class RenewalPolicy {
  static final Duration REMAINING = Duration.ofDays(30);
  /** First retry after a failure; doubles with each further failure. */
  static final Duration FIRST_RETRY = Duration.ofMinutes(5);
  static final Duration MAX_RETRY = Duration.ofHours(24);

  private RenewalPolicy() {}

  /** When to order a new certificate for one valid from {@code notBefore} to {@code notAfter}. */
  public static Instant renewAt(Instant notBefore, Instant notAfter) {
    Duration third = Duration.between(notBefore, notAfter).dividedBy(3);
    Duration margin = third.compareTo(REMAINING) < 0 ? third : REMAINING;
    return notAfter.minus(margin);
  }

  /** How long to wait after the {@code failures}-th failure in a row (1 or more). */
  public static Duration retryAfter(int failures) {
    int doublings = Math.min(Math.max(failures, 1) - 1, 20);
    Duration d = FIRST_RETRY.multipliedBy(1L << doublings);
    return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
  }
}
