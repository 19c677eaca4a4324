package dev.pier.metrics;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

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
    bucket.record(ms);
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
      if (b != null && b != fresh && b.count() > 0) return false;
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
      b.addTo(merged);
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

  /**
   * One 10-minute bucket. The histogram is a plain auto-resizing one behind the bucket's monitor:
   * a PackedConcurrentHistogram here slowed to a few hundred records per second when four threads
   * recorded the same route on two busy cores; an uncontended monitor costs tens of ns.
   */
  private static final class Bucket {
    private final Histogram histogram = new Histogram(Histograms.DIGITS);
    final LongAdder errors = new LongAdder();
    final SlowestRequests slowest = new SlowestRequests();

    synchronized void record(long ms) {
      histogram.recordValue(ms);
    }

    synchronized long count() {
      return histogram.getTotalCount();
    }

    synchronized void addTo(Histogram target) {
      target.add(histogram);
    }
  }
}
