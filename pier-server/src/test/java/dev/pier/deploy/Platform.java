package dev.pier.deploy;

import dev.pier.app.App;
import dev.pier.app.AppStore;
import dev.pier.control.Reconciler;
import dev.pier.logs.LogBus;
import dev.pier.model.AppName;
import dev.pier.model.SplitBy;
import dev.pier.release.Release;
import dev.pier.release.ReleaseStore;
import dev.pier.store.Database;
import dev.pier.versions.Traffic;
import dev.pier.versions.VersionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The deploy side of the server wired for unit tests: a real embedded database and real stores, the
 * real reconciler loop, a {@link FakeRuntimeBackend} in place of sandboxed processes, and a
 * settable in-flight count in place of the router. Boot and drain timeouts are short so failures are quick.
 */
public final class Platform implements AutoCloseable {
  public static final Duration BOOT = Duration.ofMillis(400);
  public static final Duration DRAIN = Duration.ofMillis(300);

  public final Path tmp;
  public final Database db;
  public final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T03:00:00Z"));
  public final FakeRuntimeBackend runtime = new FakeRuntimeBackend(clock);
  public final AppStore apps;
  public final ReleaseStore releases;
  public final VersionStore versions;
  public final FormationStore formations;
  /** The app log; on the system clock, as boot logs are cut at the real time a start began. */
  public final LogBus logs = new LogBus(1000, InstantSource.system());
  /** Requests the "router" still has in flight to every instance. */
  public final AtomicInteger inFlight = new AtomicInteger();
  public final AtomicInteger routePublishes = new AtomicInteger();
  public final Reconciler reconciler;
  public final ProcessManager processes;
  public final Rollout rollout;
  public final StoredDesiredState desired;

  public Platform(Path tmp) {
    this(tmp, DRAIN);
  }

  public Platform(Path tmp, Duration drainTimeout) {
    this.tmp = tmp;
    db = Database.open(tmp.resolve("db"));
    apps = new AppStore(db);
    releases = new ReleaseStore(db);
    versions = new VersionStore(db);
    formations = new FormationStore(db);
    ProcessManager.Limits limits =
        new ProcessManager.Limits(64 << 20, Duration.ofMillis(100), false, BOOT, drainTimeout);
    // The loop's own clock is the system's: drain timeouts pass in real (short) time.
    desired = new StoredDesiredState(apps, releases, versions, formations);
    reconciler = new Reconciler(runtime, desired,
        new InstanceSpecs(apps, releases, formations, limits), s -> inFlight.get(), logs::platform,
        routePublishes::incrementAndGet, InstantSource.system(),
        new Reconciler.Options(Duration.ofMillis(200), Duration.ofMillis(10), drainTimeout));
    processes = new ProcessManager(runtime, formations, logs, limits, reconciler);
    rollout = new Rollout(processes, versions, releases, logs, routePublishes::incrementAndGet);
    runtime.listener(new InstanceEvents(logs, () -> routePublishes::incrementAndGet, reconciler::signal));
    reconciler.start();
  }

  public App app(String name) {
    return apps.insert(new AppName(name), clock.instant()).orElseThrow();
  }

  /** The app as stored now (current release changes with traffic). */
  public App reload(App app) {
    return apps.find(app.name()).orElseThrow();
  }

  /** A new release of {@code app} with a real slug file and the given Procfile. */
  public Release release(App app, Map<String, String> procfile) throws Exception {
    Path slugs = Files.createDirectories(tmp.resolve("slugs").resolve(app.name().value()));
    Path slug = Files.createTempFile(slugs, "slug", ".tar.gz");
    Release r = releases.create(app.name(), slug, "Deploy", "admin", clock.instant(), Map.of("A", "1"),
        Map.of(), procfile, null, null);
    processes.initFormation(app.name(), r);
    return r;
  }

  public Release webRelease(App app) throws Exception {
    return release(app, Map.of("web", "node server.js"));
  }

  /** Gives all traffic to {@code release} directly in the store (as a finished deploy leaves it). */
  public void live(App app, Release release) {
    versions.setTraffic(app.name(), new Traffic(SplitBy.RANDOM, Map.of(release.version(), 100)));
  }

  /**
   * Runs {@code work} on a thread of its own (not the common pool, which has one worker on a
   * two-core machine, so one blocked test would starve the next).
   */
  static <T> java.util.concurrent.Future<T> inThread(java.util.concurrent.Callable<T> work) {
    java.util.concurrent.FutureTask<T> task = new java.util.concurrent.FutureTask<>(work);
    Thread.ofPlatform().daemon().name("test-async").start(task);
    return task;
  }

  public static Traffic all(int version) {
    return new Traffic(SplitBy.RANDOM, Map.of(version, 100));
  }

  @Override
  public void close() {
    reconciler.close();
    runtime.close();
    db.close();
  }
}
