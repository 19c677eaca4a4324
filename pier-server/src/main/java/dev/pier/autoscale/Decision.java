package dev.pier.autoscale;

import java.time.Instant;

/**
 * What the decider wants for one version at one moment.
 *
 * @param at the moment decided for
 * @param from the count desired before
 * @param desired the count to run now, within the spec's {@code [min, max]}
 * @param mode stable or panic
 * @param reason why, in words with the numbers: {@code "panic: 52.0 concurrent over 10 s is 260%
 *     of target 20 for 1 instance(s) -> 3"}
 * @param next the state to pass to the next decision
 */
public record Decision(Instant at, int from, int desired, Mode mode, String reason, State next) {
  /** Returns whether this decision changes the instance count. */
  public boolean changes() {
    return desired != from;
  }
}
