package dev.pier.control;

import dev.pier.runtime.InstanceSpec;
import dev.pier.runtime.InstanceStatus;
import dev.pier.runtime.RuntimeBackend;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop that makes what runs match what should run: for an app that changed (a command wrote
 * desired state, an instance changed state) and for every app on a tick, it reads the desired
 * state, observes the backend, asks the {@link Planner} and applies the plan. Passes run one at a
 * time on the loop's thread; stops run on threads of their own, so a slow stop never holds up
 * another app.
 *
 * <p>Commands change desired state, {@link #signal} the app and {@link #await} the result they
 * need; waiters wake after every pass and instance event, not on a sleep.
 */
public final class Reconciler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  /** Where the reconciler says what it does: the app's log, in the server. */
  @FunctionalInterface
  public interface Events {
    Events NONE = (app, instance, message) -> {};

    void platform(String app, String instance, String message);
  }

  /**
   * @param tick how often every app is reconciled without a change (catches what no event says)
   * @param drainPoll how often a draining instance's in-flight count is looked at
   * @param drainTimeout how long a draining instance may keep requests before it is stopped
   */
  public record Options(Duration tick, Duration drainPoll, Duration drainTimeout) {
    public static Options defaults(Duration drainTimeout) {
      return new Options(Duration.ofSeconds(1), Duration.ofMillis(20), drainTimeout);
    }
  }

  /** What the reconciler keeps per app between passes; nothing of it needs to survive a restart. */
  private static final class AppState {
    final Map<String, Instant> draining = new HashMap<>();
    final Map<String, String> drainWhy = new HashMap<>();
    final Map<String, String> stopWhy = new HashMap<>();
    final Set<String> stopping = new LinkedHashSet<>();
    final List<RestartRequest> restarts = new ArrayList<>();
    Plan last = new Plan(List.of());
    /** Passes begun (numbered from 1) and the number of the last one finished. */
    long begun;
    long finished;
    boolean forgotten;
  }

  private final RuntimeBackend runtime;
  private final DesiredSource desired;
  private final SpecSource specs;
  private final LoadSource load;
  private final Events events;
  private final Runnable publishRoutes;
  private final InstantSource clock;
  private final Options options;
  private final Planner planner;
  private final AtomicLong generation = new AtomicLong();
  private final Map<String, AppState> states = new ConcurrentHashMap<>();
  private final Set<String> dirty = new LinkedHashSet<>();
  private final Object passLock = new Object();
  private final Object progress = new Object();
  private long progressCount; // guarded by progress
  private Thread loop;
  private volatile boolean closed;

  public Reconciler(
      RuntimeBackend runtime, DesiredSource desired, SpecSource specs, LoadSource load,
      Events events, Runnable publishRoutes, InstantSource clock, Options options) {
    this.runtime = runtime;
    this.desired = desired;
    this.specs = specs;
    this.load = load;
    this.events = events;
    this.publishRoutes = publishRoutes;
    this.clock = clock;
    this.options = options;
    this.planner = new Planner(options.drainTimeout());
  }

  /** Starts the loop; every app is reconciled at once (bringing back instances at server start). */
  public synchronized Reconciler start() {
    if (loop != null) return this;
    loop = Thread.ofPlatform().daemon().name("pier-reconciler").start(this::run);
    return this;
  }

  /** Something about {@code app} changed: reconcile it soon. Never blocks. */
  public void signal(String app) {
    synchronized (dirty) {
      dirty.add(app);
      dirty.notifyAll();
    }
    wake();
  }

  /** The newest generation handed out: instances started after this call have a higher one. */
  public long generation() {
    return generation.get();
  }

  /** What should run for {@code app} now, as the next pass will see it. */
  public DesiredApp desired(String app) {
    return desired.desired(app);
  }

  /** True while an instance is draining: routing must not send it new requests. */
  public boolean isDraining(String app, String id) {
    AppState s = states.get(app);
    if (s == null) return false;
    synchronized (s) {
      return s.draining.containsKey(id);
    }
  }

  /** Instances whose stop was issued and has not finished, or that are draining. */
  public boolean isLeaving(String app, String id) {
    AppState s = states.get(app);
    if (s == null) return false;
    synchronized (s) {
      return s.draining.containsKey(id) || s.stopping.contains(id);
    }
  }

  /**
   * Why an instance is being drained or stopped by the platform ("v3 no longer runs", "web of v3
   * scaled to 1"), while it is; empty otherwise.
   */
  public Optional<String> leavingReason(String app, String id) {
    AppState s = states.get(app);
    if (s == null) return Optional.empty();
    synchronized (s) {
      String stop = s.stopWhy.get(id);
      if (stop != null) return Optional.of(stop);
      return Optional.ofNullable(s.drainWhy.get(id)).map(why -> "draining: " + why);
    }
  }

  /** Asks for a rolling restart of matching instances started before now; see {@link #finish}. */
  public RestartRequest restart(String app, String target, Integer version) {
    RestartRequest request = new RestartRequest(target, version, generation.get() + 1);
    AppState s = state(app);
    synchronized (s) {
      s.restarts.add(request);
    }
    signal(app);
    return request;
  }

  /** The restart is over (done or given up): its outdated instances are no longer replaced. */
  public void finish(String app, RestartRequest request) {
    AppState s = state(app);
    synchronized (s) {
      s.restarts.remove(request);
    }
    signal(app);
  }

  /**
   * Waits until {@code done} holds, re-checking after every pass and instance event. Returns
   * false when {@code timeout} passed first.
   */
  public boolean await(Duration timeout, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long seen;
      synchronized (progress) {
        seen = progressCount;
      }
      // Evaluated outside the monitor: a condition may query the store, and wake() must stay quick.
      if (done.getAsBoolean()) return true;
      synchronized (progress) {
        while (progressCount == seen) {
          long left = deadline - System.nanoTime();
          if (left <= 0) return false;
          progress.wait(Math.max(1, Math.min(left / 1_000_000, 1000)));
        }
      }
    }
  }

  /**
   * Reconciles {@code app} and waits until a pass that began after this call finds nothing to do
   * for it and none of its instances is draining or stopping. False when {@code timeout} passed
   * first.
   */
  public boolean awaitSettled(String app, Duration timeout) throws InterruptedException {
    AppState s = state(app);
    long after;
    synchronized (s) {
      after = s.begun;
    }
    signal(app);
    return await(timeout, () -> {
      synchronized (s) {
        return s.finished > after && s.last.isEmpty() && s.draining.isEmpty() && s.stopping.isEmpty();
      }
    });
  }

  /** Wakes waiters: something changed. Never blocks for long. */
  public void wake() {
    synchronized (progress) {
      progressCount++;
      progress.notifyAll();
    }
  }

  /**
   * Stops every instance of {@code app} at once, without draining, and starts none until its
   * desired state is empty (the app is being destroyed).
   */
  public void forget(String app) {
    AppState s = state(app);
    synchronized (passLock) {
      synchronized (s) {
        s.forgotten = true;
      }
    }
    List<Thread> stops = new ArrayList<>();
    for (InstanceStatus i : runtime.list(app)) {
      stops.add(Thread.ofVirtual().start(() -> runtime.stop(app, i.id())));
    }
    for (Thread t : stops) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    signal(app);
  }

  /** The app's destroy is over (or failed): its desired state decides again. */
  public void remember(String app) {
    AppState s = state(app);
    synchronized (s) {
      s.forgotten = false;
    }
    signal(app);
  }

  /** One pass for one app, on the caller's thread; returns what it did. Tests call it directly. */
  public Plan pass(String app) {
    Plan plan;
    synchronized (passLock) {
      AppState s = state(app);
      long number;
      synchronized (s) {
        number = ++s.begun;
      }
      DesiredApp want = desired.desired(app);
      ObservedApp seen;
      synchronized (s) {
        if (s.forgotten) {
          if (!want.counts().isEmpty()) {
            s.finished = number;
            plan = s.last;
            seen = null;
          } else {
            s.forgotten = false;
            seen = observe(app, s);
          }
        } else {
          seen = observe(app, s);
        }
        if (seen != null) want = want.withRestarts(s.restarts);
      }
      if (seen == null) {
        wake();
        return s.last;
      }
      plan = planner.plan(want, seen, clock.instant());
      apply(app, s, plan);
      synchronized (s) {
        s.last = plan;
        s.finished = number;
      }
    }
    wake();
    return plan;
  }

  /** What runs for {@code app} now; forgets drains of instances that are gone. Holds {@code s}. */
  private ObservedApp observe(String app, AppState s) {
    List<InstanceStatus> instances = runtime.list(app);
    Map<String, Integer> inFlight = new HashMap<>();
    for (InstanceStatus i : instances) {
      if (s.draining.containsKey(i.id())) inFlight.put(i.id(), load.inFlight(i));
    }
    ObservedApp seen = new ObservedApp(instances, s.draining, s.stopping, inFlight);
    Set<String> ids = new java.util.HashSet<>();
    for (InstanceStatus i : instances) ids.add(i.id());
    s.draining.keySet().retainAll(ids);
    s.drainWhy.keySet().retainAll(ids);
    return seen;
  }

  private void apply(String app, AppState s, Plan plan) {
    List<String> drained = new ArrayList<>();
    for (Action action : plan.actions()) {
      switch (action) {
        case Action.Start start -> start(app, start.slot());
        case Action.Drain drain -> {
          synchronized (s) {
            s.draining.put(drain.id(), clock.instant());
            s.drainWhy.put(drain.id(), drain.why());
          }
          events.platform(app, drain.id(), "Draining " + drain.id() + ": " + drain.why());
          drained.add(drain.id());
        }
        case Action.Stop stop -> stop(app, s, stop);
      }
    }
    if (drained.isEmpty()) return;
    try {
      publishRoutes.run();
    } catch (RuntimeException e) {
      // The router may still send them requests: they are not drained until routes say so.
      synchronized (s) {
        for (String id : drained) {
          s.draining.remove(id);
          s.drainWhy.remove(id);
        }
      }
      throw e;
    }
  }

  private void start(String app, Slot slot) {
    int gen = (int) generation.incrementAndGet();
    Optional<InstanceSpec> spec;
    try {
      spec = specs.spec(app, slot, gen);
    } catch (RuntimeException e) {
      LOG.warn("cannot build {} of v{} of {}: {}", slot.name(), slot.version(), app, e.toString());
      return;
    }
    if (spec.isEmpty()) return;
    try {
      runtime.start(spec.get());
    } catch (RuntimeException e) {
      if (!closed) LOG.warn("cannot start {} of {}: {}", spec.get().id(), app, e.toString());
    }
  }

  private void stop(String app, AppState s, Action.Stop stop) {
    String why;
    synchronized (s) {
      s.stopping.add(stop.id());
      String drainedFor = s.drainWhy.get(stop.id());
      why = drainedFor == null ? stop.why() : drainedFor + "; " + stop.why();
      s.stopWhy.put(stop.id(), "stopping: " + why);
    }
    events.platform(app, stop.id(), "Stopping " + stop.id() + ": " + why);
    Thread.ofVirtual().name("stop-" + app + "-" + stop.id()).start(() -> {
      try {
        runtime.stop(app, stop.id());
      } catch (RuntimeException e) {
        if (!closed) LOG.warn("stopping {} of {} failed: {}", stop.id(), app, e.toString());
      } finally {
        synchronized (s) {
          s.stopping.remove(stop.id());
          s.draining.remove(stop.id());
          s.drainWhy.remove(stop.id());
          s.stopWhy.remove(stop.id());
        }
        signal(app);
      }
    });
  }

  private AppState state(String app) {
    return states.computeIfAbsent(app, a -> new AppState());
  }

  private boolean anyDraining() {
    for (AppState s : states.values()) {
      synchronized (s) {
        if (!s.draining.isEmpty()) return true;
      }
    }
    return false;
  }

  private void run() {
    long nextTick = System.nanoTime();
    while (!closed) {
      Set<String> apps = new LinkedHashSet<>();
      boolean tick = System.nanoTime() - nextTick >= 0;
      synchronized (dirty) {
        if (dirty.isEmpty() && !tick) {
          long waitNanos = anyDraining() ? Math.min(options.drainPoll().toNanos(), nextTick - System.nanoTime())
              : nextTick - System.nanoTime();
          try {
            if (waitNanos > 0) dirty.wait(Math.max(1, waitNanos / 1_000_000));
          } catch (InterruptedException e) {
            return;
          }
        }
        apps.addAll(dirty);
        dirty.clear();
      }
      if (closed) return;
      if (System.nanoTime() - nextTick >= 0) {
        nextTick = System.nanoTime() + options.tick().toNanos();
        try {
          apps.addAll(desired.apps());
        } catch (RuntimeException e) {
          LOG.warn("cannot list apps: {}", e.toString());
        }
        apps.addAll(states.keySet());
      }
      states.forEach((app, s) -> {
        synchronized (s) {
          if (!s.draining.isEmpty()) apps.add(app);
        }
      });
      for (String app : apps) {
        try {
          pass(app);
        } catch (Throwable e) { // the loop must outlive any one app's failure
          if (!closed) LOG.warn("reconciling {} failed: {}", app, e.toString(), e);
        }
      }
      if (tick) {
        try {
          forgetGone();
        } catch (Throwable e) {
          if (!closed) LOG.warn("pruning the reconciler's state failed: {}", e.toString(), e);
        }
      }
    }
  }

  /** Drops what is kept for apps that no longer exist and run nothing. */
  private void forgetGone() {
    Set<String> existing;
    try {
      existing = new java.util.HashSet<>(desired.apps());
    } catch (RuntimeException e) {
      return;
    }
    states.entrySet().removeIf(e -> {
      if (existing.contains(e.getKey())) return false;
      AppState s = e.getValue();
      synchronized (s) {
        return s.draining.isEmpty() && s.stopping.isEmpty() && s.restarts.isEmpty() && s.last.isEmpty()
            && runtime.list(e.getKey()).isEmpty();
      }
    });
  }

  /** Stops the loop (instances keep running; the runtime backend stops them at shutdown). */
  @Override
  public void close() {
    closed = true;
    Thread t;
    synchronized (this) {
      t = loop;
    }
    synchronized (dirty) {
      dirty.notifyAll();
    }
    if (t != null) {
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
