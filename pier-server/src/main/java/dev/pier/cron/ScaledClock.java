package dev.pier.cron;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * A clock that runs {@code scale} times faster than {@code base} from {@code origin} on: {@code
 * origin + (base - origin) * scale}. Only for tests that must watch minute schedules fire within
 * seconds; scheduling logic is the same as on the system clock.
 */
record ScaledClock(InstantSource base, Instant origin, long scale) implements InstantSource {
  /** One origin per JVM, so a server restarted in the same test run continues the same fast time. */
  private static final Instant JVM_ORIGIN = Instant.now();

  ScaledClock {
    if (scale < 1) throw new IllegalArgumentException("scale must be 1 or more: " + scale);
  }

  static ScaledClock of(InstantSource base, long scale) {
    return new ScaledClock(base, JVM_ORIGIN, scale);
  }

  @Override
  public Instant instant() {
    Duration elapsed = Duration.between(origin, base.instant());
    return origin.plus(elapsed.multipliedBy(scale));
  }
}
