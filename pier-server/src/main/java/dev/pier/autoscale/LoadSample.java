package dev.pier.autoscale;

import java.time.Instant;

/**
 * The load of one version over one sample period (such as the router's last 2 s), ending at
 * {@code at}. Every value is a total for the version: per-instance averages are the total divided
 * by {@code readyInstances}, as Knative does.
 *
 * @param at the end of the sample period
 * @param concurrency requests being served at once, averaged over the period (held requests count)
 * @param rps requests answered per second over the period
 * @param cpu CPU use summed over the instances, each in percent of its own CPU allowance: two
 *     instances at 40% make 80
 * @param readyInstances instances that could take requests at {@code at}
 * @param inFlight requests being served or held (waiting for an instance) at {@code at}; a
 *     version never goes to zero while this is above 0, and one at zero wakes for it
 */
public record LoadSample(Instant at, double concurrency, double rps, double cpu, int readyInstances, int inFlight) {
  public LoadSample {
    if (at == null) {
      throw new IllegalArgumentException("at is required");
    }
    requireAmount("concurrency", concurrency);
    requireAmount("rps", rps);
    requireAmount("cpu", cpu);
    if (readyInstances < 0 || inFlight < 0) {
      throw new IllegalArgumentException("readyInstances and inFlight must not be negative: "
          + readyInstances + ", " + inFlight);
    }
  }

  /** Returns this sample's total of {@code metric}. */
  public double value(Metric metric) {
    return switch (metric) {
      case CONCURRENCY -> concurrency;
      case RPS -> rps;
      case CPU -> cpu;
    };
  }

  /** Returns whether any request was served, held or in flight during the period. */
  public boolean sawRequests() {
    return inFlight > 0 || concurrency > 0 || rps > 0;
  }

  private static void requireAmount(String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be a finite number, 0 or more: " + value);
    }
  }
}
