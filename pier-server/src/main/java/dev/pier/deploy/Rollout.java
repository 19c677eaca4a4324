package dev.pier.deploy;

import dev.pier.app.App;
import dev.pier.build.BuildOutput;
import dev.pier.logs.LogBus;
import dev.pier.release.Release;
import dev.pier.release.ReleaseStore;
import dev.pier.store.Leases;
import dev.pier.errors.PlatformException;
import dev.pier.versions.Traffic;
import dev.pier.versions.VersionStore;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Moves an app's traffic to a new split without dropping a request:
 *
 * <pre>
 *   mark versions that get traffic running -> await ready (else: mark them stopped, fail, nothing changed)
 *     -> store the split, publish routes -> mark versions that lost their traffic stopped, await settled
 * </pre>
 *
 * The {@link dev.pier.control.Reconciler} does the starting, draining and stopping.
 *
 * Every operation that changes what runs for an app goes through {@link #locked}, one at a time
 * per app.
 */
public final class Rollout {
  private final ProcessManager processes;
  private final VersionStore versions;
  private final ReleaseStore releases;
  private final LogBus logs;
  private final Runnable publishRoutes;
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final Leases leases;

  public Rollout(
      ProcessManager processes, VersionStore versions, ReleaseStore releases, LogBus logs,
      Runnable publishRoutes) {
    this(processes, versions, releases, logs, publishRoutes, null);
  }

  /**
   * With {@code leases}, an app's lock is also a lease in the store (held, renewed, released), so
   * a change in progress is visible to another server on the same store; null keeps it in memory.
   */
  public Rollout(
      ProcessManager processes, VersionStore versions, ReleaseStore releases, LogBus logs,
      Runnable publishRoutes, Leases leases) {
    this.processes = processes;
    this.versions = versions;
    this.releases = releases;
    this.logs = logs;
    this.publishRoutes = publishRoutes;
    this.leases = leases;
  }

  /**
   * Runs {@code work} holding the app's lock; says so on {@code out} when it has to wait. Within
   * this server waiters queue on a lock; the store lease (taken by the outermost holder) waits
   * for a change another server has in progress.
   */
  public <T> T locked(App app, BuildOutput out, Callable<T> work) throws Exception {
    ReentrantLock lock = locks.computeIfAbsent(app.name().value(), n -> new ReentrantLock());
    boolean said = false;
    if (!lock.tryLock()) {
      out.info("Another change to " + app.name() + " is in progress; waiting for it to finish...");
      said = true;
      lock.lockInterruptibly();
    }
    boolean outermost = lock.getHoldCount() == 1;
    try {
      if (outermost && leases != null) {
        long pause = 20;
        while (!leases.tryAcquire(leaseName(app.name()))) {
          if (!said) {
            out.info("Another server is changing " + app.name() + "; waiting for it to finish...");
            said = true;
          }
          Thread.sleep(pause);
          pause = Math.min(1000, pause * 2);
        }
      }
      try {
        return work.call();
      } finally {
        if (outermost && leases != null) leases.release(leaseName(app.name()));
      }
    } finally {
      lock.unlock();
    }
  }

  private static String leaseName(dev.pier.model.AppName app) {
    return "app:" + app.value();
  }

  /**
   * Runs {@code work} holding the app's lock when no change of the app is in progress; empty
   * without running it otherwise (checks that must not see a change half done).
   */
  public <T> java.util.Optional<T> ifIdle(dev.pier.model.AppName app, Callable<T> work) throws Exception {
    ReentrantLock lock = locks.computeIfAbsent(app.value(), n -> new ReentrantLock());
    if (!lock.tryLock()) return java.util.Optional.empty();
    try {
      if (leases != null && leases.holderOf(leaseName(app)).isPresent()) return java.util.Optional.empty();
      return java.util.Optional.ofNullable(work.call());
    } finally {
      lock.unlock();
    }
  }

  /** The release of a version, checked to be runnable (known, slug present). */
  public Release runnable(App app, int version) {
    Release release = releases.find(app.name(), version)
        .orElseThrow(() -> PlatformException.notFound("app '" + app.name() + "' has no version v" + version));
    if (release.slug() == null || !Files.exists(release.slug())) {
      throw PlatformException.conflict("the slug of v" + version + " is gone: it cannot run again");
    }
    return release;
  }

  /**
   * Applies {@code target}. Returns null on success, else why it failed (then nothing changed:
   * the previous split keeps serving). With {@code stopUnused}, versions that had traffic and
   * have none afterwards are drained and stopped (deploys, config changes, rollbacks); without
   * it they keep running at their version URL (traffic splits and migrations).
   *
   * <p>Each step only changes desired state and waits for the reconciler: versions that get
   * traffic are marked running (it starts them), once they are ready the split is stored, then
   * versions that lost their traffic are marked stopped (it drains and stops them).
   */
  public String apply(App app, Traffic target, boolean stopUnused, String user, BuildOutput out)
      throws InterruptedException {
    Traffic before = versions.traffic(app.name());
    Set<Integer> running = versions.running(app.name());
    ProcessManager.Mark mark = processes.mark();
    Set<Integer> added = new TreeSet<>();
    for (int version : target.allocations().keySet()) {
      Release release = runnable(app, version);
      if (!running.contains(version)) {
        added.add(version);
        versions.start(app.name(), version);
        out.info("Starting v" + version + " (" + describe(processes.formation(app.name(), release)) + ")...");
      }
    }
    String problem = processes.awaitReady(app, target.allocations().keySet(), mark, processes.readyTimeout(app));
    if (problem != null) {
      for (int version : added) versions.setRunning(app.name(), version, false);
      processes.awaitSettled(app);
      return problem;
    }
    versions.setTraffic(app.name(), target);
    publishRoutes.run();
    logs.platform(app.name().value(), "api", "Traffic " + describe(target) + " by " + user);
    out.info("Traffic: " + describe(target));
    if (stopUnused) {
      boolean stopped = false;
      for (int version : before.allocations().keySet()) {
        if (target.percent(version) == 0) {
          versions.setRunning(app.name(), version, false);
          stopped = true;
        }
      }
      if (stopped) processes.awaitSettled(app);
    }
    return null;
  }

  /** Starts a version without giving it traffic (no-promote deploys, versions:start). */
  public String startWithoutTraffic(App app, Release release) throws InterruptedException {
    ProcessManager.Mark mark = processes.mark();
    boolean wasRunning = versions.running(app.name()).contains(release.version());
    if (!wasRunning) versions.start(app.name(), release.version());
    String problem = processes.awaitReady(app, Set.of(release.version()), mark, processes.readyTimeout(app));
    if (problem != null) {
      if (!wasRunning) {
        versions.setRunning(app.name(), release.version(), false);
        processes.awaitSettled(app);
      }
      return problem;
    }
    versions.setRunning(app.name(), release.version(), true);
    publishRoutes.run();
    return null;
  }

  /** Drains and stops a version that has no traffic. */
  public void stop(App app, int version) throws InterruptedException {
    if (versions.traffic(app.name()).percent(version) > 0) {
      throw PlatformException.conflict(
          "v" + version + " still gets traffic: move it away first (pier traffic:split or traffic:migrate)");
    }
    versions.setRunning(app.name(), version, false);
    processes.awaitSettled(app);
    publishRoutes.run();
  }

  private static String describe(Map<String, Integer> formation) {
    List<String> parts = new ArrayList<>();
    formation.forEach((type, n) -> { if (n > 0) parts.add(type + "=" + n); });
    return parts.isEmpty() ? "no instances" : String.join(", ", parts);
  }

  static String describe(Traffic traffic) {
    List<String> parts = new ArrayList<>();
    traffic.allocations().forEach((v, p) -> parts.add("v" + v + " " + p + "%"));
    return String.join(", ", parts) + " (split by " + traffic.splitBy().wireName() + ")";
  }
}
