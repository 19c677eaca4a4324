package dev.pier.metrics;

import java.time.Instant;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Totals and percentiles of an app's requests between {@code from} and {@code to}, for all
 * versions together and per release version (ascending). Percentiles come from the merged
 * histograms of the range, never from averaging per-window percentiles.
 */
public record Summary(Instant from, Instant to, Stats total, SortedMap<Integer, Stats> byVersion) {

  public Summary {
    if (from == null || to == null || total == null || byVersion == null) {
      throw new NullPointerException("from, to, total and byVersion are required");
    }
    if (from.isAfter(to)) throw new IllegalArgumentException("from is after to");
    byVersion = Collections.unmodifiableSortedMap(new TreeMap<>(byVersion));
  }
}
