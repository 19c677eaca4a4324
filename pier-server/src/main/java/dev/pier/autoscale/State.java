package dev.pier.autoscale;

import java.time.Instant;

/**
 * What the decider remembers between two decisions for one version: start with {@link #INITIAL},
 * then pass each {@link Decision#next()} to the following call. Null times mean "never".
 *
 * @param panicSince when the current panic began; null when stable
 * @param panicSeenAt the last time the panic condition held; panic ends a stable window after it
 * @param panicHigh the highest count wanted during this panic, which panic never goes below
 * @param higherWantedAt the last time the load wanted at least the count then desired; scaling
 *     down waits until the scale-down delay has passed since
 * @param lastChange the last decision that changed the count; null before the first
 */
public record State(Instant panicSince, Instant panicSeenAt, int panicHigh, Instant higherWantedAt, Change lastChange) {
  /** The state before the first decision: stable, nothing wanted yet, no change made. */
  public static final State INITIAL = new State(null, null, 0, null, null);

  /** Returns {@link Mode#PANIC} while a panic lasts, else {@link Mode#STABLE}. */
  public Mode mode() {
    return panicSince == null ? Mode.STABLE : Mode.PANIC;
  }
}
