package dev.pier.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * A closed window of an app (10 s, or 1 min rolled up from 10 s ones): what each version served,
 * with its latency histogram kept compressed so that any range can be merged exactly later, and
 * the app's instances' memory and CPU. This is what is kept in memory and persisted; {@link Point}
 * is derived from it.
 */
record Window(
    Instant end, Duration length, List<VersionWindow> versions, long rssBytes, double cpuLoad) {

  Window {
    versions = List.copyOf(versions);
  }

  /** Requests of one version in one window; {@code histogram} is compressed, empty if none. */
  record VersionWindow(
      int version, long requests, StatusCounts status, long bytes, byte[] histogram) {}

  /** Derives the point of this window, all versions merged; rates use the actual length. */
  Point toPoint(Duration resolution) {
    Histogram merged = Histograms.accumulator();
    long requests = 0;
    long bytes = 0;
    StatusCounts status = StatusCounts.NONE;
    for (VersionWindow v : versions) {
      Histograms.addTo(merged, v.histogram());
      requests += v.requests();
      bytes += v.bytes();
      status = status.plus(v.status());
    }
    return toPoint(resolution, merged, requests, status, bytes);
  }

  /** Derives the point of this window when the merged histogram is already at hand. */
  Point toPoint(
      Duration resolution, Histogram merged, long requests, StatusCounts status, long bytes) {
    Stats stats = Stats.of(requests, length, Latency.of(merged), status, bytes);
    return new Point(end, resolution, stats, rssBytes, cpuLoad);
  }
}
