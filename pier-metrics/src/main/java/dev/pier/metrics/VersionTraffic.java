package dev.pier.metrics;

import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Live request counters of one release version of one app. {@link #record} is called concurrently
 * from the router's event loops and only touches a HdrHistogram {@link Recorder} and striped
 * {@link LongAdder}s (wait-free, no allocation). {@link #closeWindow} is called by the single tick
 * thread: it swaps out the interval histogram and turns the cumulative counters into deltas.
 */
final class VersionTraffic {
  final int version;
  /**
   * Unpacked, fixed range: ~10 ns per value against ~60 ns for a packed one, for a fixed ~180 KB
   * per histogram (two per version: active and inactive). Idle versions are forgotten.
   */
  private final Recorder recorder = new Recorder(1, Histograms.MAX_MS, Histograms.DIGITS);
  private final LongAdder[] statusTotals = new LongAdder[5];
  private final LongAdder bytesTotal = new LongAdder();
  private final LongAdder millisTotal = new LongAdder();

  // Tick-thread state.
  private final long[] statusAtLastTick = new long[5];
  private long bytesAtLastTick;
  private Histogram recycled;
  private Instant lastActive;
  private volatile Latency lastWindowLatency = Latency.NONE;

  VersionTraffic(int version, Instant created) {
    this.version = version;
    this.lastActive = created;
    for (int i = 0; i < statusTotals.length; i++) statusTotals[i] = new LongAdder();
  }

  void record(int status, long serviceMillis, long bytes) {
    long ms = Histograms.clamp(serviceMillis);
    recorder.recordValue(ms);
    statusTotals[StatusCounts.slot(status)].increment();
    if (bytes > 0) bytesTotal.add(bytes);
    millisTotal.add(ms);
  }

  /**
   * Closes the current window: returns its counts and compressed histogram, or null if the
   * version saw no request in it. Adds the window's latencies into {@code merged}.
   */
  Window.VersionWindow closeWindow(Instant now, Histogram merged) {
    Histogram interval = recorder.getIntervalHistogram(recycled);
    recycled = interval;
    long[] delta = new long[5];
    for (int i = 0; i < delta.length; i++) {
      long total = statusTotals[i].sum();
      delta[i] = total - statusAtLastTick[i];
      statusAtLastTick[i] = total;
    }
    long bytes = bytesTotal.sum();
    long bytesDelta = bytes - bytesAtLastTick;
    bytesAtLastTick = bytes;
    long requests = interval.getTotalCount();
    lastWindowLatency = Latency.of(interval);
    if (requests == 0) return null;
    lastActive = now;
    merged.add(interval);
    return new Window.VersionWindow(
        version, requests, StatusCounts.of(delta), bytesDelta, Histograms.compress(interval));
  }

  Instant lastActive() {
    return lastActive;
  }

  Latency lastWindowLatency() {
    return lastWindowLatency;
  }

  long statusTotal(int slot) {
    return statusTotals[slot].sum();
  }

  long requestsTotal() {
    long sum = 0;
    for (LongAdder adder : statusTotals) sum += adder.sum();
    return sum;
  }

  long bytesTotal() {
    return bytesTotal.sum();
  }

  double secondsTotal() {
    return millisTotal.sum() / 1000.0;
  }
}
