package dev.pier.deploy;

import dev.pier.app.App;
import dev.pier.logs.LogBus;
import dev.pier.model.LogLine;
import dev.pier.model.AppName;
import dev.pier.model.InstanceState;
import dev.pier.model.ProcessType;
import dev.pier.release.Release;
import dev.pier.runtime.DiskQuota;
import dev.pier.runtime.InstanceSpec;
import dev.pier.runtime.InstanceStatus;
import dev.pier.runtime.RuntimeBackend;
import dev.pier.errors.PlatformException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the instances of an app's versions: every running version runs the app's formation (count
 * per process type). New instances always start beside the ones they replace (each start gets a
 * fresh generation, so ids never collide) and old ones are drained before they stop:
 *
 * <pre>
 *   start new -> await ready -> (caller moves traffic) -> drain old (router in-flight = 0) -> stop old
 * </pre>
 */
public final class ProcessManager {
  /** Upper bound of instances per process type. */
  public static final int MAX_PER_TYPE = 100;

  /** Per-instance settings every start uses. */
  public record Limits(long memoryLimitBytes, Duration stopGrace, boolean dropPrivileges,
      Duration bootTimeout, Duration drainTimeout, DiskQuota disk) {
    /** Limits without disk quotas. */
    public Limits(long memoryLimitBytes, Duration stopGrace, boolean dropPrivileges,
        Duration bootTimeout, Duration drainTimeout) {
      this(memoryLimitBytes, stopGrace, dropPrivileges, bootTimeout, drainTimeout, DiskQuota.NONE);
    }
  }

  /** Instances started together by one operation, and when. */
  public record Started(int version, Set<String> ids, Instant at) {}

  private final RuntimeBackend runtime;
  private final FormationStore formations;
  private final LogBus logs;
  private final Limits limits;
  private final Drainer drainer;
  private final Map<String, AtomicInteger> generations = new ConcurrentHashMap<>();
  private final Set<String> draining = ConcurrentHashMap.newKeySet();
  private volatile Runnable publishRoutes = () -> {};

  public ProcessManager(
      RuntimeBackend runtime, FormationStore formations, LogBus logs, Limits limits, Drainer drainer) {
    this.runtime = runtime;
    this.formations = formations;
    this.logs = logs;
    this.limits = limits;
    this.drainer = drainer;
  }

  /** Completes wiring: called after routes change, e.g. when instances start draining. */
  public void onRoutesChanged(Runnable publish) {
    this.publishRoutes = publish;
  }

  /** True while an instance is being drained: routing must not send it new requests. */
  public boolean isDraining(String app, String id) {
    return draining.contains(app + "/" + id);
  }

  public Duration bootTimeout() {
    return limits.bootTimeout();
  }

  /** Records the default formation for a release's new process types: web=1, others 0. */
  public void initFormation(AppName app, Release release) {
    Map<String, Integer> current = formations.get(app);
    Map<String, Integer> defaults = new LinkedHashMap<>();
    for (String type : release.processes().keySet()) {
      if (!current.containsKey(type)) defaults.put(type, type.equals("web") ? 1 : 0);
    }
    if (!defaults.isEmpty()) formations.put(app, defaults);
  }

  /** The formation restricted to the release's process types. */
  public Map<String, Integer> formation(AppName app, Release release) {
    Map<String, Integer> stored = formations.get(app);
    Map<String, Integer> shown = new LinkedHashMap<>();
    for (String type : release.processes().keySet()) shown.put(type, stored.getOrDefault(type, 0));
    return shown;
  }

  public List<InstanceStatus> list(String app) {
    return runtime.list(app);
  }

  /** Validates and stores a scale request for {@code release}'s process types. */
  public Map<String, Integer> storeScale(App app, Release release, Map<String, Integer> changes, String user) {
    for (Map.Entry<String, Integer> e : changes.entrySet()) {
      String type = e.getKey();
      try {
        ProcessType.of(type);
      } catch (IllegalArgumentException bad) {
        throw PlatformException.invalid(bad.getMessage());
      }
      if (!release.processes().containsKey(type)) {
        throw PlatformException.invalid(
            "no process type '" + type + "' in " + release.name() + " (it has: "
                + String.join(", ", release.processes().keySet()) + ")");
      }
      Integer n = e.getValue();
      if (n == null || n < 0 || n > MAX_PER_TYPE) {
        throw PlatformException.invalid("invalid count " + n + " for " + type + ": use 0 to " + MAX_PER_TYPE);
      }
    }
    formations.put(app.name(), changes);
    Map<String, Integer> now = formation(app.name(), release);
    List<String> parts = new ArrayList<>();
    now.forEach((type, n) -> parts.add(type + "@" + n));
    logs.platform(app.name().value(), "api", "Scaled to " + String.join(", ", parts) + " by " + user);
    return now;
  }

  /**
   * Makes the instances of one version match the formation: starts missing ones (returned, so the
   * caller can wait for them) and drains and stops surplus ones.
   */
  public Started reconcile(App app, Release release) {
    Map<String, Integer> formation = formation(app.name(), release);
    Set<String> have = new HashSet<>();
    List<InstanceStatus> surplus = new ArrayList<>();
    for (InstanceStatus s : ofVersion(app, release.version())) {
      int wanted = formation.getOrDefault(s.type(), 0);
      if (s.index() > wanted || !have.add(s.type() + "." + s.index())) surplus.add(s);
    }
    Instant at = Instant.now();
    Set<String> started = new HashSet<>();
    for (Map.Entry<String, Integer> e : formation.entrySet()) {
      for (int index = 1; index <= e.getValue(); index++) {
        if (!have.contains(e.getKey() + "." + index)) started.add(start(app, release, e.getKey(), index));
      }
    }
    drainAndStop(app, surplus);
    return new Started(release.version(), started, at);
  }

  /** Starts a full new set of instances of {@code release} (the formation), beside any old ones. */
  public Started startAll(App app, Release release) {
    Instant at = Instant.now();
    Set<String> started = new HashSet<>();
    formation(app.name(), release).forEach((type, n) -> {
      for (int index = 1; index <= n; index++) started.add(start(app, release, type, index));
    });
    return new Started(release.version(), started, at);
  }

  /**
   * Waits until every started web instance is up. Returns null when they are, else a message
   * naming the instance and why, followed by the app's recent output (its boot log).
   */
  public String awaitReady(App app, Started started, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String name = app.name().value();
    while (true) {
      boolean allUp = true;
      for (InstanceStatus s : runtime.list(name)) {
        if (!started.ids().contains(s.id()) || !s.type().equals("web")) continue;
        if (s.state() == InstanceState.CRASHED || s.state() == InstanceState.STOPPING) {
          return s.name() + " of v" + started.version() + " exited while booting"
              + (s.reason() == null ? "" : " (" + s.reason().words() + ")") + bootLog(name, started);
        }
        if (s.state() != InstanceState.UP) allUp = false;
      }
      if (allUp) return null;
      if (System.nanoTime() > deadline) {
        return "web instances of v" + started.version() + " did not become ready within "
            + timeout.toSeconds() + " s" + bootLog(name, started);
      }
      Thread.sleep(50);
    }
  }

  /** Stops the instances an operation started (after a failed boot), without draining. */
  public void abandon(App app, Started started) {
    List<Runnable> stops = new ArrayList<>();
    for (String id : started.ids()) stops.add(() -> runtime.stop(app.name().value(), id));
    runParallel(stops);
  }

  /** Drains and stops every instance of one version. */
  public void stopVersion(App app, int version) {
    drainAndStop(app, ofVersion(app, version));
  }

  /** Stops every instance of the app at once (destroy, shutdown). */
  public void stopAll(String app) {
    List<Runnable> stops = new ArrayList<>();
    for (InstanceStatus status : runtime.list(app)) stops.add(() -> runtime.stop(app, status.id()));
    runParallel(stops);
  }

  /**
   * Rolling restart: starts a replacement for each matching instance, waits until they are ready,
   * then drains and stops the old ones. {@code target} is null (all), a type or an instance name.
   */
  public List<String> restart(App app, Map<Integer, Release> releases, String target, String user)
      throws InterruptedException {
    List<InstanceStatus> old = new ArrayList<>();
    for (InstanceStatus s : runtime.list(app.name().value())) {
      if (target == null || target.equals(s.type()) || target.equals(s.name())) old.add(s);
    }
    if (target != null && old.isEmpty()) {
      throw PlatformException.notFound("no running instance or process type '" + target + "'");
    }
    logs.platform(app.name().value(), "api",
        "Restarting " + (target == null ? "all instances" : target) + " by " + user);
    Map<Integer, Started> byVersion = new LinkedHashMap<>();
    Instant at = Instant.now(); // before the first start: its boot output belongs to the boot log
    for (InstanceStatus s : old) {
      Release release = releases.get(s.release());
      if (release == null) continue;
      String id = start(app, release, s.type(), s.index());
      byVersion.computeIfAbsent(s.release(), v -> new Started(v, new HashSet<>(), at)).ids().add(id);
    }
    for (Started started : byVersion.values()) {
      String problem = awaitReady(app, started, limits.bootTimeout());
      if (problem != null) {
        abandon(app, started);
        throw PlatformException.conflict("restart failed, the old instances keep running: " + problem);
      }
    }
    drainAndStop(app, old);
    return old.stream().map(InstanceStatus::name).toList();
  }

  private List<InstanceStatus> ofVersion(App app, int version) {
    List<InstanceStatus> result = new ArrayList<>();
    for (InstanceStatus s : runtime.list(app.name().value())) {
      if (s.release() == version) result.add(s);
    }
    return result;
  }

  private String start(App app, Release release, String type, int index) {
    int generation =
        generations.computeIfAbsent(app.name().value(), a -> new AtomicInteger()).incrementAndGet();
    InstanceSpec spec =
        new InstanceSpec(
            app.name(), ProcessType.of(type), index, release.version(), release.slug(),
            release.processes().get(type), envFor(app, release),
            limits.dropPrivileges() ? app.user() : null, limits.memoryLimitBytes(),
            limits.stopGrace(), generation,
            app.readinessPath() != null ? app.readinessPath() : release.readinessPath(),
            limits.disk());
    runtime.start(spec);
    return spec.id();
  }

  /** Config vars plus what Pier tells every instance about itself. */
  private static Map<String, String> envFor(App app, Release release) {
    Map<String, String> env = new java.util.TreeMap<>(release.instanceEnv());
    env.put("PIER_APP", app.name().value());
    env.put("PIER_RELEASE", release.name());
    return env;
  }

  /**
   * Takes instances out of routing, waits (up to the drain timeout) until the router has no
   * request in flight to them, then stops them (SIGTERM, grace, SIGKILL), in parallel.
   */
  private void drainAndStop(App app, List<InstanceStatus> instances) {
    if (instances.isEmpty()) return;
    String name = app.name().value();
    for (InstanceStatus s : instances) draining.add(name + "/" + s.id());
    try {
      publishRoutes.run();
      long deadline = System.nanoTime() + limits.drainTimeout().toNanos();
      List<Runnable> stops = new ArrayList<>();
      for (InstanceStatus s : instances) {
        stops.add(() -> {
          while (s.port() > 0 && drainer.inFlight("127.0.0.1", s.port()) > 0
              && System.nanoTime() < deadline) {
            try {
              Thread.sleep(20);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
          }
          runtime.stop(name, s.id());
        });
      }
      runParallel(stops);
    } finally {
      for (InstanceStatus s : instances) draining.remove(name + "/" + s.id());
    }
  }

  private String bootLog(String app, Started started) {
    List<String> lines = new ArrayList<>();
    for (LogLine line : logs.recent(app, 300)) {
      if (line.time().isBefore(started.at())) continue;
      if (line.source().equals("app") || line.process().startsWith("web.")) lines.add(line.format());
    }
    List<String> tail = lines.subList(Math.max(0, lines.size() - 20), lines.size());
    return tail.isEmpty() ? " (it printed nothing)" : "; its output:\n" + String.join("\n", tail);
  }

  private static void runParallel(List<Runnable> tasks) {
    if (tasks.isEmpty()) return;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (Runnable task : tasks) futures.add(pool.submit(task));
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("stopping an instance failed: " + e.getCause(), e.getCause());
        }
      }
    }
  }
}
