package dev.pier.metrics;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Everything measured about one app: live per-version counters (hot path), routes, instances and
 * the retained series. {@link #tick} must be called by one thread at a time.
 */
final class AppMetrics {
  /** A version with no request for this long is forgotten (its Prometheus series end). */
  static final Duration VERSION_IDLE = Duration.ofHours(1);

  final String app;
  private final InstantSource clock;
  private final Transactions transactions;
  private final Instances instances = new Instances();
  private final Series series;
  /** Copy-on-write; read without locking on the hot path. Usually one or two entries. */
  private volatile VersionTraffic[] versions = new VersionTraffic[0];

  AppMetrics(String app, InstantSource clock, int maxRoutes, Series series) {
    this.app = app;
    this.clock = clock;
    this.series = series;
    this.transactions = new Transactions(maxRoutes, clock, clock.instant());
  }

  void recordRequest(
      int version, String method, String path, int status, long serviceMillis, long bytes) {
    long ms = Histograms.clamp(serviceMillis);
    traffic(version).record(status, ms, bytes);
    transactions.record(method, path, status, ms);
  }

  private VersionTraffic traffic(int version) {
    for (VersionTraffic v : versions) {
      if (v.version == version) return v;
    }
    return addVersion(version);
  }

  private synchronized VersionTraffic addVersion(int version) {
    for (VersionTraffic v : versions) {
      if (v.version == version) return v;
    }
    VersionTraffic added = new VersionTraffic(version, clock.instant());
    VersionTraffic[] grown = Arrays.copyOf(versions, versions.length + 1);
    grown[versions.length] = added;
    versions = grown;
    return added;
  }

  void recordInstance(String instance, int version, long rss, long cpuNanosTotal, int restarts) {
    instances.record(instance, version, rss, cpuNanosTotal, restarts, clock.instant());
  }

  /**
   * Closes the window {@code (now - length, now]}.
   *
   * @return whether a minute was rolled up (time to persist)
   */
  boolean tick(Instant now, Duration length) {
    Histogram merged = Histograms.accumulator();
    List<Window.VersionWindow> closed = new ArrayList<>();
    long requests = 0;
    long bytes = 0;
    StatusCounts status = StatusCounts.NONE;
    for (VersionTraffic v : versions) {
      Window.VersionWindow w = v.closeWindow(now, merged);
      if (w == null) continue;
      closed.add(w);
      requests += w.requests();
      bytes += w.bytes();
      status = status.plus(w.status());
    }
    forgetIdleVersions(now);
    Instances.Totals totals = instances.tick(now);
    Window window = new Window(now, length, closed, totals.rssBytes(), totals.cpuLoad());
    Point point = window.toPoint(Series.FINE, merged, requests, status, bytes);
    transactions.tick(now);
    return series.add(window, point);
  }

  private synchronized void forgetIdleVersions(Instant now) {
    Instant cutoff = now.minus(VERSION_IDLE);
    VersionTraffic[] kept =
        Arrays.stream(versions).filter(v -> v.lastActive().isAfter(cutoff)).toArray(VersionTraffic[]::new);
    if (kept.length != versions.length) versions = kept;
  }

  List<Point> points(Duration since, Instant now) {
    return series.points(since, now);
  }

  Summary summary(Duration since, Instant now) {
    WindowMerger merger = new WindowMerger();
    series.windows(since, now).forEach(merger::add);
    Duration observed = merger.length().isZero() ? since : merger.length();
    return new Summary(
        now.minus(since), now, merger.total(observed), merger.perVersion(observed));
  }

  List<Transaction> transactions(Instant now) {
    return transactions.list(now);
  }

  List<InstanceSample> instances() {
    return instances.list();
  }

  VersionTraffic[] versions() {
    return versions;
  }

  Series.Snapshot snapshot() {
    return series.snapshot();
  }
}
