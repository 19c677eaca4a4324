package dev.pier.autoscale;

import java.time.Instant;

/**
 * Decides how many instances a version should run. Implementations are pure functions of their
 * arguments: no I/O, no threads, no clock (time comes in as {@code now}), safe to call from any
 * thread, and they never throw for a valid spec.
 */
public interface Decider {
  /**
   * Returns the count {@code spec} wants now, given the load in {@code window}.
   *
   * @param spec the process type's autoscale settings
   * @param window the version's recent load samples, the newest at or before {@code now}
   * @param state what the previous call returned as {@link Decision#next()}, or {@link State#INITIAL}
   * @param currentDesired the count desired until now (0 or more), usually the last decision's
   * @param now the moment to decide for
   */
  Decision decide(AutoscaleSpec spec, MetricWindow window, State state, int currentDesired, Instant now);
}
