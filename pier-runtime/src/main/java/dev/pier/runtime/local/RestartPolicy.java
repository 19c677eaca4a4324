package dev.pier.runtime.local;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a crashed instance waits before it is restarted. The first crash of a series restarts
 * after {@code first} (immediately by default), the next after {@code base}, and every further
 * one waits twice as long as the previous, up to {@code max}. A run that stayed up longer than
 * {@code resetAfter} ends the series: its crash counts as a first crash again.
 */
public record RestartPolicy(Duration first, Duration base, Duration max, Duration resetAfter) {
  /** Immediately, then 1 s, 2 s, 4 s ... up to 5 minutes; reset after 60 s of uptime. */
  public static final RestartPolicy DEFAULT =
      new RestartPolicy(Duration.ZERO, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(60));

  public RestartPolicy {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(max, "max");
    Objects.requireNonNull(resetAfter, "resetAfter");
    if (first.isNegative() || base.isNegative() || max.isNegative() || resetAfter.isNegative()) {
      throw new IllegalArgumentException("restart delays must not be negative");
    }
  }

  /**
   * Returns the delay before restarting after the {@code consecutiveCrashes}-th crash in a row
   * (1 for the first).
   */
  public Duration delayAfter(int consecutiveCrashes) {
    if (consecutiveCrashes < 1) throw new IllegalArgumentException("crash count starts at 1");
    if (consecutiveCrashes == 1) return min(first, max);
    Duration delay = base;
    for (int i = 2; i < consecutiveCrashes && delay.compareTo(max) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return min(delay, max);
  }

  /** True when a run that lasted {@code uptime} ends a crash series. */
  public boolean resetsSeries(Duration uptime) {
    return uptime.compareTo(resetAfter) > 0;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
