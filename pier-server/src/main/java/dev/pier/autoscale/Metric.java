package dev.pier.autoscale;

import java.util.Locale;

/**
 * What an autoscaled process type is sized by, with the range its per-instance target may take.
 * Observed values are totals for a version (summed over its ready instances); the target is per
 * instance, so the count wanted is {@code ceil(total / target)}.
 */
public enum Metric {
  /** Requests being served at once, averaged over a sample's period. */
  CONCURRENCY("concurrency", 0.1, 1000, "concurrent", "concurrent requests"),
  /** Requests answered per second. */
  RPS("rps", 0.1, 100_000, "requests/s", "requests/s"),
  /** CPU use in percent of one instance's CPU allowance (two instances at 40% total 80). */
  CPU("cpu", 1, 100, "% CPU", "% CPU");

  private final String wire;
  private final double lowest;
  private final double highest;
  private final String observedUnit;
  private final String targetUnit;

  Metric(String wire, double lowest, double highest, String observedUnit, String targetUnit) {
    this.wire = wire;
    this.lowest = lowest;
    this.highest = highest;
    this.observedUnit = observedUnit;
    this.targetUnit = targetUnit;
  }

  /** Returns the API's name: {@code concurrency}, {@code rps} or {@code cpu}. */
  public String wireName() {
    return wire;
  }

  /** Returns the API field that sets a target of this metric, such as {@code target_rps}. */
  public String targetField() {
    return "target_" + wire;
  }

  /** Returns the smallest target allowed. */
  public double lowest() {
    return lowest;
  }

  /** Returns the largest target allowed. */
  public double highest() {
    return highest;
  }

  /** Returns the metric named {@code wire} ({@code concurrency}, {@code rps}, {@code cpu}). */
  public static Metric fromWire(String wire) {
    for (Metric metric : values()) {
      if (metric.wire.equals(wire.toLowerCase(Locale.ROOT))) {
        return metric;
      }
    }
    throw new IllegalArgumentException("unknown metric: " + wire);
  }

  /** Returns an observed total with one decimal and its unit: {@code "52.0 concurrent"}, {@code "80.0% CPU"}. */
  String observed(double total) {
    String number = String.format(Locale.ROOT, "%.1f", total);
    return this == CPU ? number + observedUnit : number + " " + observedUnit;
  }

  /** Returns a target with its unit: {@code "10 concurrent requests"}, {@code "70% CPU"}. */
  String target(double target) {
    return this == CPU ? Numbers.plain(target) + targetUnit : Numbers.plain(target) + " " + targetUnit;
  }
}
