package dev.pier.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Merges windows into one: per version and overall, by adding histograms (never by averaging
 * percentiles) and counts. Instance memory and CPU are averaged over the merged windows.
 */
final class WindowMerger {
  private final Histogram all = Histograms.accumulator();
  private final Map<Integer, Part> byVersion = new TreeMap<>();
  private Duration length = Duration.ZERO;
  private long rssSum;
  private double cpuSum;
  private int windows;

  WindowMerger add(Window window) {
    length = length.plus(window.length());
    rssSum += window.rssBytes();
    cpuSum += window.cpuLoad();
    windows++;
    for (Window.VersionWindow v : window.versions()) {
      byVersion.computeIfAbsent(v.version(), Part::new).add(v, all);
    }
    return this;
  }

  /** Total observed time of the merged windows. */
  Duration length() {
    return length;
  }

  /** The merged window, ending at {@code end}. */
  Window toWindow(Instant end) {
    List<Window.VersionWindow> versions = new ArrayList<>();
    for (Part part : byVersion.values()) versions.add(part.toWindow());
    int n = Math.max(windows, 1);
    return new Window(end, length, versions, rssSum / n, cpuSum / n);
  }

  /** The merged point, ending at {@code end}. */
  Point toPoint(Instant end, Duration resolution) {
    Window window = toWindow(end);
    return window.toPoint(resolution, all, requests(), status(), bytes());
  }

  /** Stats over {@code period}, all versions together. */
  Stats total(Duration period) {
    return Stats.of(requests(), period, Latency.of(all), status(), bytes());
  }

  /** Stats over {@code period} per version, ascending. */
  SortedMap<Integer, Stats> perVersion(Duration period) {
    SortedMap<Integer, Stats> stats = new TreeMap<>();
    for (Part part : byVersion.values()) {
      stats.put(
          part.version,
          Stats.of(part.requests, period, Latency.of(part.histogram), part.status, part.bytes));
    }
    return stats;
  }

  private long requests() {
    long sum = 0;
    for (Part part : byVersion.values()) sum += part.requests;
    return sum;
  }

  private long bytes() {
    long sum = 0;
    for (Part part : byVersion.values()) sum += part.bytes;
    return sum;
  }

  private StatusCounts status() {
    StatusCounts sum = StatusCounts.NONE;
    for (Part part : byVersion.values()) sum = sum.plus(part.status);
    return sum;
  }

  private static final class Part {
    private final int version;
    private final Histogram histogram = Histograms.accumulator();
    private long requests;
    private long bytes;
    private StatusCounts status = StatusCounts.NONE;

    Part(int version) {
      this.version = version;
    }

    void add(Window.VersionWindow v, Histogram all) {
      Histograms.addTo(histogram, v.histogram());
      Histograms.addTo(all, v.histogram());
      requests += v.requests();
      bytes += v.bytes();
      status = status.plus(v.status());
    }

    Window.VersionWindow toWindow() {
      return new Window.VersionWindow(
          version, requests, status, bytes, Histograms.compress(histogram));
    }
  }
}
