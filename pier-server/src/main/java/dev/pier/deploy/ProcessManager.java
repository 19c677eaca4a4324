package dev.pier.deploy;

import dev.pier.app.App;
import dev.pier.logs.LogBus;
import dev.pier.model.AppName;
import dev.pier.model.InstanceState;
import dev.pier.model.ProcessType;
import dev.pier.release.Release;
import dev.pier.runtime.InstanceSpec;
import dev.pier.runtime.InstanceStatus;
import dev.pier.runtime.RuntimeBackend;
import dev.pier.server.PlatformException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reconciles what runs with what is desired: the app's formation (count per process type) of its
 * current release. Every change of desired state (deploy, config change, scale, restart, server
 * start) ends in {@link #apply}.
 */
public final class ProcessManager {
  /** Upper bound of instances per process type. */
  public static final int MAX_PER_TYPE = 100;

  private final RuntimeBackend runtime;
  private final FormationStore formations;
  private final long memoryLimitBytes;
  private final Duration stopGrace;
  private final boolean dropPrivileges;
  private final LogBus logs;

  public ProcessManager(
      RuntimeBackend runtime, FormationStore formations, long memoryLimitBytes, Duration stopGrace,
      boolean dropPrivileges, LogBus logs) {
    this.logs = logs;
    this.runtime = runtime;
    this.formations = formations;
    this.memoryLimitBytes = memoryLimitBytes;
    this.stopGrace = stopGrace;
    this.dropPrivileges = dropPrivileges;
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

  /** The formation restricted to the release's process types (types it lacks are not shown). */
  public Map<String, Integer> formation(AppName app, Release release) {
    Map<String, Integer> stored = formations.get(app);
    Map<String, Integer> shown = new LinkedHashMap<>();
    for (String type : release.processes().keySet()) shown.put(type, stored.getOrDefault(type, 0));
    return shown;
  }

  /** Validates and stores a scale request, then applies it. Returns the new formation. */
  public Map<String, Integer> scale(App app, Release release, Map<String, Integer> changes, String user) {
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
        throw PlatformException.invalid(
            "invalid count " + n + " for " + type + ": use 0 to " + MAX_PER_TYPE);
      }
    }
    formations.put(app.name(), changes);
    Map<String, Integer> now = formation(app.name(), release);
    List<String> parts = new ArrayList<>();
    now.forEach((type, n) -> parts.add(type + "@" + n));
    logs.platform(app.name().value(), "api", "Scaled to " + String.join(", ", parts) + " by " + user);
    apply(app, release, false);
    return now;
  }

  /**
   * Starts, replaces and stops instances so that exactly the formation of {@code release} runs.
   * With {@code replaceAll}, instances already on this release are restarted too.
   */
  public void apply(App app, Release release, boolean replaceAll) {
    Map<String, Integer> formation = formation(app.name(), release);
    List<InstanceStatus> running = runtime.list(app.name().value());
    List<Runnable> stops = new ArrayList<>();
    for (InstanceStatus status : running) {
      int wanted = formation.getOrDefault(status.type(), 0);
      if (status.index() > wanted) {
        stops.add(() -> runtime.stop(app.name().value(), status.name()));
      }
    }
    runParallel(stops);
    for (Map.Entry<String, Integer> e : formation.entrySet()) {
      for (int index = 1; index <= e.getValue(); index++) {
        InstanceStatus current = find(running, e.getKey(), index);
        if (replaceAll || current == null || current.release() != release.version()) {
          runtime.start(spec(app, release, e.getKey(), index));
        }
      }
    }
  }

  /** Restarts all instances, one type, or one instance ({@code web.1}); returns their names. */
  public List<String> restart(App app, Release release, String target, String user) {
    List<String> restarted = new ArrayList<>();
    for (InstanceStatus status : runtime.list(app.name().value())) {
      if (target == null || target.equals(status.type()) || target.equals(status.name())) {
        runtime.start(spec(app, release, status.type(), status.index()));
        restarted.add(status.name());
      }
    }
    if (target != null && restarted.isEmpty()) {
      throw PlatformException.notFound("no running instance or process type '" + target + "'");
    }
    logs.platform(app.name().value(), "api",
        "Restarted " + (target == null ? "all instances" : target) + " by " + user);
    return restarted;
  }

  /** Stops every instance of the app (destroy, shutdown). */
  public void stopAll(String app) {
    List<Runnable> stops = new ArrayList<>();
    for (InstanceStatus status : runtime.list(app)) stops.add(() -> runtime.stop(app, status.name()));
    runParallel(stops);
  }

  public List<InstanceStatus> list(String app) {
    return runtime.list(app);
  }

  /**
   * Waits until every web instance of the release is up. Returns null when they are, otherwise
   * a sentence saying which instance is not and why.
   */
  public String awaitUp(App app, Release release, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int wanted = formation(app.name(), release).getOrDefault("web", 0);
    while (true) {
      int up = 0;
      for (InstanceStatus s : runtime.list(app.name().value())) {
        if (!s.type().equals("web") || s.release() != release.version()) continue;
        if (s.state() == InstanceState.UP) up++;
        if (s.state() == InstanceState.CRASHED) return s.name() + " crashed while starting";
      }
      if (up >= wanted) return null;
      if (System.nanoTime() > deadline) {
        return "web instances did not accept connections within " + timeout.toSeconds() + " s";
      }
      Thread.sleep(50);
    }
  }

  private InstanceSpec spec(App app, Release release, String type, int index) {
    return new InstanceSpec(
        app.name(), ProcessType.of(type), index, release.version(), release.slug(),
        release.processes().get(type), release.instanceEnv(), dropPrivileges ? app.user() : null,
        memoryLimitBytes, stopGrace);
  }

  private static InstanceStatus find(List<InstanceStatus> running, String type, int index) {
    for (InstanceStatus s : running) {
      if (s.type().equals(type) && s.index() == index) return s;
    }
    return null;
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
