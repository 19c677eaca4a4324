package dev.pier.metrics;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedConcurrentHistogram;

/**
 * Requests of one method + route over the last {@value #BUCKETS} buckets (10 minutes each, rotated
 * by the tick thread). Writers record into the current bucket through a volatile read; a writer
 * that raced a rotation lands in the previous bucket, which is still counted.
 */
final class RouteStats {
  static final int BUCKETS = 6;

  final String method;
  final String route;
  private final Bucket[] ring = new Bucket[BUCKETS];
  private int currentIndex;
  private volatile Bucket current;

  RouteStats(String method, String route) {
    this.method = method;
    this.route = route;
    current = ring[0] = new Bucket();
  }

  void record(String path, int status, long ms, InstantSource clock) {
    Bucket bucket = current;
    bucket.histogram.recordValue(ms);
    if (status >= 500 && status <= 599) bucket.errors.increment();
    if (bucket.slowest.qualifies(ms)) bucket.slowest.offer(path, ms, status, clock.millis());
  }

  /** Starts a new bucket, dropping the oldest. Returns whether the route saw no request at all. */
  synchronized boolean rotate() {
    currentIndex = (currentIndex + 1) % BUCKETS;
    Bucket fresh = new Bucket();
    ring[currentIndex] = fresh;
    current = fresh;
    for (Bucket b : ring) {
      if (b != null && b != fresh && b.histogram.getTotalCount() > 0) return false;
    }
    return true;
  }

  /** Sums the retained buckets. */
  synchronized Transaction toTransaction(double minutesCovered) {
    Histogram merged = Histograms.accumulator();
    long errors = 0;
    List<SlowestRequests> slow = new ArrayList<>();
    for (Bucket b : ring) {
      if (b == null) continue;
      merged.add(b.histogram.copy());
      errors += b.errors.sum();
      slow.add(b.slowest);
    }
    long count = merged.getTotalCount();
    double errorRate = count == 0 ? 0 : Math.min(1, (double) errors / count);
    return new Transaction(
        method,
        route,
        count,
        count / Math.max(minutesCovered, 1),
        count == 0 ? 0 : merged.getMean(),
        count == 0 ? 0 : merged.getValueAtPercentile(95),
        errorRate,
        SlowestRequests.merge(slow));
  }

  private static final class Bucket {
    final PackedConcurrentHistogram histogram = new PackedConcurrentHistogram(Histograms.DIGITS);
    final LongAdder errors = new LongAdder();
    final SlowestRequests slowest = new SlowestRequests();
  }
}
