package dev.pier.router;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on requests the router holds while the version they are for starts (see {@link
 * dev.pier.model.VersionRoute#hold()}).
 *
 * @param timeout how long one request may wait for an instance of its version; after it the
 *     client gets {@code 503} ({@link RouterError#START_TIMEOUT})
 * @param maxPerApp how many requests of one app (all its versions together) may wait at once;
 *     further ones get {@code 503} ({@link RouterError#HOLD_QUEUE_FULL}) at once
 */
public record HoldLimits(Duration timeout, int maxPerApp) {
  /** Knative-like: 30 s, 100 waiting requests per app. */
  public static final HoldLimits DEFAULT = new HoldLimits(Duration.ofSeconds(30), 100);

  public HoldLimits {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be > 0");
    }
    if (maxPerApp < 1) throw new IllegalArgumentException("maxPerApp must be >= 1");
  }
}
