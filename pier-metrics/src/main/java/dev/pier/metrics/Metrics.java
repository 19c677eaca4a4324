package dev.pier.metrics;

import dev.pier.model.AppName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request and instance metrics of every app, Heroku Metrics / New Relic style: 10 s and 1 min
 * series, range summaries with exact percentiles, grouped routes ("transactions"), the latest
 * memory and CPU of each instance, and a Prometheus exposition.
 *
 * <p><b>Threads.</b> {@link #recordRequest} is called on the router's event loops for every
 * request: it never blocks and takes no lock (a HdrHistogram {@code Recorder}, striped adders and
 * map lookups; a lock only when a request is among the 5 slowest of its route's current
 * 10-minute bucket, or the first of a new app, version or route). {@link #tick} is called every 10 s
 * by one scheduler thread; queries may be called from any thread.
 *
 * <p><b>Retention.</b> Per app: 360 points of 10 s (1 h) and 1440 points of 1 min (24 h), routes
 * over the last hour (at most {@value #MAX_ROUTES} per app), instances sampled in the last 2
 * minutes. Everything else is dropped, so memory is bounded per app.
 *
 * <p><b>Persistence.</b> Each app's 10 s and 1 min windows (with their compressed histograms) are
 * written to {@code <dir>/<app>.metrics} (owner-only, in an owner-only directory) whenever a minute
 * is rolled up and on {@link #close}; a new {@code Metrics} on the same directory continues the
 * series. When a write fails (a full disk), the file keeps its previous version, the first failure
 * is logged once, and the app is written again at every tick until it works. Routes, instances and the
 * Prometheus counters are not persisted (counters restart at 0, which Prometheus handles as a
 * reset).
 */
public final class Metrics implements AutoCloseable {
  /** Distinct method + route pairs tracked per app before requests go to {@code (other)}. */
  public static final int MAX_ROUTES = 200;

  private static final Logger LOG = LoggerFactory.getLogger(Metrics.class);

  private final Path dir;
  private final InstantSource clock;
  private final int maxRoutes;
  private final ConcurrentHashMap<String, AppMetrics> apps = new ConcurrentHashMap<>();
  private Instant lastTick;
  /** Apps whose latest windows are not on disk because writing failed; guarded by this. */
  private final Set<String> unsaved = new HashSet<>();

  /**
   * Opens the metrics kept in {@code dir} (created if missing); unreadable files are logged and
   * ignored.
   */
  public Metrics(Path dir, InstantSource clock) {
    this(dir, clock, MAX_ROUTES);
  }

  Metrics(Path dir, InstantSource clock, int maxRoutes) {
    this.dir = dir;
    this.clock = clock;
    this.maxRoutes = maxRoutes;
    this.lastTick = clock.instant();
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create metrics directory " + dir, e);
    }
    load();
  }

  private void load() {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SeriesFile.SUFFIX)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        String app = name.substring(0, name.length() - SeriesFile.SUFFIX.length());
        try {
          AppName.of(app);
          apps.put(app, new AppMetrics(app, clock, maxRoutes, SeriesFile.read(file)));
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
          LOG.warn("ignoring unreadable metrics file {}: {}", file, e.toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list metrics directory " + dir, e);
    }
  }

  /**
   * Records a finished request. {@code status} is the HTTP status sent (counted by class), {@code
   * serviceMillis} the time from request received to response finished (clamped to 0..10 min),
   * {@code bytes} the response body size.
   *
   * @throws IllegalArgumentException if {@code app} is not a valid {@link AppName} (checked only
   *     the first time an app is seen)
   */
  public void recordRequest(
      String app, int version, String method, String path, int status, long serviceMillis,
      long bytes) {
    app(app).recordRequest(version, method, path, status, serviceMillis, bytes);
  }

  /**
   * Records a sample of one instance: resident memory, cumulative CPU time of its processes
   * (nanoseconds since it started) and how often it was restarted.
   */
  public void recordInstance(
      String app, String instance, int version, long rssBytes, long cpuNanosTotal, int restarts) {
    app(app).recordInstance(instance, version, rssBytes, cpuNanosTotal, restarts);
  }

  private AppMetrics app(String app) {
    AppMetrics metrics = apps.get(app);
    if (metrics != null) return metrics;
    AppName.of(app);
    return apps.computeIfAbsent(app, a -> new AppMetrics(a, clock, maxRoutes, new Series()));
  }

  /**
   * Closes the current window (since the previous tick) of every app, rolls up each minute that is
   * complete, and persists the apps that rolled one up. Called every 10 s by one thread.
   */
  public synchronized void tick() {
    Instant now = clock.instant();
    Duration length = Duration.between(lastTick, now);
    if (length.isNegative()) length = Duration.ZERO;
    lastTick = now;
    for (AppMetrics app : apps.values()) {
      boolean rolledUp = app.tick(now, length);
      if (rolledUp || unsaved.contains(app.app)) persist(app);
    }
  }

  /**
   * Points of an app ending within the last {@code since}, oldest first: 10 s points when {@code
   * since} is at most an hour, else 1 min points (at most the last 24 h). Empty for an unknown app.
   */
  public List<Point> series(String app, Duration since) {
    requirePositive(since);
    AppMetrics metrics = apps.get(app);
    return metrics == null ? List.of() : metrics.points(since, clock.instant());
  }

  /**
   * Totals and percentiles of an app over the last {@code since} (rates over the observed time),
   * all versions and per version; at most an hour in 10 s steps, else in 1 min steps plus the
   * minute in progress. Requests of the window in progress (since the last tick) are not included.
   */
  public Summary summary(String app, Duration since) {
    requirePositive(since);
    Instant now = clock.instant();
    AppMetrics metrics = apps.get(app);
    if (metrics == null) {
      Stats none = Stats.of(0, since, Latency.NONE, StatusCounts.NONE, 0);
      return new Summary(now.minus(since), now, none, new TreeMap<>());
    }
    return metrics.summary(since, now);
  }

  /** The app's routes over the last hour, most time-consuming first (live, no tick needed). */
  public List<Transaction> transactions(String app) {
    AppMetrics metrics = apps.get(app);
    return metrics == null ? List.of() : metrics.transactions(clock.instant());
  }

  /** The latest sample of each live instance of the app, by instance name. */
  public List<InstanceSample> instances(String app) {
    AppMetrics metrics = apps.get(app);
    return metrics == null ? List.of() : metrics.instances();
  }

  /**
   * All apps in the Prometheus text format 0.0.4, followed by {@code platformGauges} (metric name
   * to value), each as a gauge.
   *
   * @throws IllegalArgumentException if a platform gauge name is not a valid metric name
   */
  public String prometheus(Map<String, Double> platformGauges) {
    platformGauges.keySet().forEach(name -> {
      if (!PrometheusFormat.isValidName(name)) {
        throw new IllegalArgumentException("invalid metric name '" + name + "'");
      }
    });
    List<AppMetrics> sorted =
        apps.values().stream().sorted(Comparator.comparing(a -> a.app)).toList();
    PrometheusFormat out = new PrometheusFormat();
    PrometheusExposition.write(out, sorted);
    new TreeMap<>(platformGauges).forEach((name, value) ->
        out.family(name, "gauge", "Pier platform gauge " + name + ".")
            .sample(name, value == null ? Double.NaN : value));
    return out.toString();
  }

  /** Forgets an app and deletes its file. Requests recorded afterwards start it afresh. */
  public synchronized void deleteApp(String app) {
    apps.remove(app);
    unsaved.remove(app);
    try {
      if (isValidAppName(app)) Files.deleteIfExists(SeriesFile.of(dir, app));
    } catch (IOException e) {
      LOG.warn("cannot delete metrics of {}: {}", app, e.toString());
    }
  }

  /**
   * Moves an app's series to a new name (the app was renamed): its file is written, renamed and
   * read back under the new name. An app with no series has nothing to move.
   */
  public synchronized void renameApp(String from, String to) {
    AppName.of(to);
    AppMetrics metrics = apps.remove(from);
    unsaved.remove(from);
    if (metrics != null) persist(metrics);
    Path source = SeriesFile.of(dir, from);
    try {
      if (!Files.exists(source)) return;
      Path target = SeriesFile.of(dir, to);
      Files.move(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      apps.put(to, new AppMetrics(to, clock, maxRoutes, SeriesFile.read(target)));
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot move the metrics of {} to {}: {}", from, to, e.toString());
    }
  }

  /** Persists every app. The object may still be used afterwards, but nothing else persists. */
  @Override
  public synchronized void close() {
    apps.values().forEach(this::persist);
    if (!unsaved.isEmpty()) {
      LOG.warn("metrics of {} could not be saved on close; their files keep their previous version", unsaved);
    }
  }

  /**
   * The route a request path is grouped under: query dropped, id-like segments replaced by {@code
   * :id}; see {@code RouteNormalizer} for the exact rules.
   */
  public static String normalizeRoute(String path) {
    return RouteNormalizer.normalize(path);
  }

  /** Writes the app's file; a failure is logged once until writing works again. */
  private void persist(AppMetrics app) {
    try {
      SeriesFile.write(SeriesFile.of(dir, app.app), app.snapshot());
    } catch (IOException | RuntimeException e) {
      if (unsaved.isEmpty()) {
        LOG.warn("cannot persist metrics of {} ({}): kept in memory and written again every tick;"
            + " the files keep their previous version", app.app, e.toString());
      }
      unsaved.add(app.app);
      return;
    }
    if (unsaved.remove(app.app) && unsaved.isEmpty()) LOG.info("metrics are persisted again");
  }

  private static void requirePositive(Duration since) {
    if (since == null || since.isNegative() || since.isZero()) {
      throw new IllegalArgumentException("since must be a positive duration: " + since);
    }
  }

  private static boolean isValidAppName(String app) {
    try {
      AppName.of(app);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
