package dev.pier.oneoff;

import dev.pier.errors.PlatformException;
import dev.pier.model.InstanceState;
import dev.pier.runtime.Attachment;
import dev.pier.runtime.InstanceSpec;
import dev.pier.runtime.InstanceStatus;
import dev.pier.runtime.RuntimeBackend;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one-off processes of apps and looks after them until they are gone: a task instance of
 * the app's current release named {@code TYPE.N} ({@code run.1}, {@code run.2} …, numbered per app
 * and type, never reusing a listed name), stopped when its time limit is reached. An attached run
 * ({@code pier run}) is stopped when its client does not attach within {@link #ATTACH_WINDOW} or
 * goes away before it ended, and removed once its client has its exit status; a detached run
 * ({@code pier run:detached}, a scheduled job) writes to the app's logs and stays listed as
 * completed, with its exit code, for {@link #KEEP_COMPLETED}.
 *
 * <p>A scheduler calls {@link #start} with its own process type and {@link #exit} to learn the
 * outcome. Thread-safe. A sweeper thread (started by {@link #start()}) enforces the limits once
 * a second.
 */
public final class OneOffs implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OneOffs.class);
  /** The process type of {@code pier run}. */
  public static final String RUN = "run";
  /** How long a run may take unless it asks otherwise, as on Heroku. */
  /** One-off and scheduled tasks an app may have running at once. */
  public static final int MAX_RUNNING_PER_APP = 50;

  public static final Duration DEFAULT_TIME_LIMIT = Duration.ofHours(24);
  /** How long an attached run waits for its client before it is stopped. */
  public static final Duration ATTACH_WINDOW = Duration.ofSeconds(60);
  /** How long a completed detached run stays listed. */
  public static final Duration KEEP_COMPLETED = Duration.ofMinutes(10);
  private static final Duration SWEEP_EVERY = Duration.ofSeconds(1);

  /** Tells the app's log about a one-off: {@code (app, instance, message)}. */
  @FunctionalInterface
  public interface Events {
    void platform(String app, String instance, String message);
  }

  private static final class Tracked {
    final OneOff oneOff;
    final CompletableFuture<Integer> exit = new CompletableFuture<>();
    volatile boolean clientAttached;
    volatile boolean stopping;
    volatile Instant completedAt;

    Tracked(OneOff oneOff) {
      this.oneOff = oneOff;
    }
  }

  private final RuntimeBackend runtime;
  private final OneOffSpecs specs;
  private final Events events;
  private final InstantSource clock;
  private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
  private final Map<String, Integer> lastNumber = new ConcurrentHashMap<>();
  private ScheduledExecutorService sweeper;

  public OneOffs(RuntimeBackend runtime, OneOffSpecs specs, Events events, InstantSource clock) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.specs = Objects.requireNonNull(specs, "specs");
    this.events = Objects.requireNonNull(events, "events");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Starts the sweeper that enforces time limits and the attach window. */
  public synchronized OneOffs start() {
    if (sweeper == null) {
      sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pier-oneoffs");
        t.setDaemon(true);
        return t;
      });
      sweeper.scheduleWithFixedDelay(this::sweepSafely, SWEEP_EVERY.toMillis(), SWEEP_EVERY.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /**
   * Starts a one-off of the app's current release; returns at once (it runs in the background).
   *
   * @throws PlatformException 404 for an unknown app, 409 when it has no release yet
   */
  public OneOff start(String app, OneOffRequest request) {
    InstanceSpec spec;
    synchronized (this) {
      long running = runtime.list(app).stream()
          .filter(s -> s.task() && s.state() != dev.pier.model.InstanceState.COMPLETED).count();
      if (running >= MAX_RUNNING_PER_APP) {
        throw PlatformException.conflict(app + " already runs " + running + " one-off processes, the most"
            + " an app may run at once: stop one first (pier ps:stop run.N)");
      }
      int index = OneOffNames.next(lastNumber.getOrDefault(key(app, request.type()), 0),
          runtime.list(app).stream().filter(s -> s.type().equals(request.type()))
              .map(InstanceStatus::index).toList());
      spec = specs.spec(app, request, index);
      if (request.interactive() != null) spec = spec.withInteractive(request.interactive());
      lastNumber.put(key(app, request.type()), index);
      OneOff oneOff = new OneOff(app, spec.name(), request.command(), spec.release(), clock.instant(),
          request.timeLimit(), request.attached());
      tracked.put(key(app, spec.name()), new Tracked(oneOff));
      runtime.start(spec);
      return oneOff;
    }
  }

  /**
   * Hands the streams of an attached run to its client, once its process runs.
   *
   * @throws PlatformException 404 when there is no such run, 409 when it is not attachable (a
   *     detached run, already attached, or ended before it ran)
   */
  public Attachment attach(String app, String name) {
    Tracked t = tracked.get(key(app, name));
    if (t == null) throw PlatformException.notFound("no one-off process " + name + " on " + app);
    if (!t.oneOff.attached()) throw PlatformException.conflict(name + " runs detached: see its output with pier logs");
    try {
      Attachment attachment = runtime.attach(app, name);
      t.clientAttached = true;
      return attachment;
    } catch (NoSuchElementException e) {
      throw PlatformException.notFound("no one-off process " + name + " on " + app);
    } catch (IllegalStateException e) {
      throw PlatformException.conflict("cannot attach to " + name + ": " + e.getMessage());
    }
  }

  /** The client of an attached run went away before it ended: stops it (in the background). */
  public void disconnected(String app, String name) {
    Tracked t = tracked.get(key(app, name));
    if (t == null) return;
    if (t.completedAt == null) events.platform(app, name, "Stopping: its client disconnected");
    stopInBackground(t);
  }

  /** An attached run ended and its client has the exit status: removes it. */
  public void finished(String app, String name) {
    Tracked t = tracked.get(key(app, name));
    if (t != null) stopInBackground(t);
  }

  /**
   * Stops a one-off (or any task instance of the app) and waits until it is gone ({@code pier
   * ps:stop run.1}).
   *
   * @throws PlatformException 404 when the app has no such instance, 422 when it is one of the
   *     formation's (scale or restart those)
   */
  public void stop(String app, String name) {
    Optional<InstanceStatus> status = find(app, name);
    if (status.isEmpty()) throw PlatformException.notFound("no process " + name + " on " + app);
    if (!status.get().task()) {
      throw PlatformException.invalid(name + " is part of the formation: use ps:scale or ps:restart;"
          + " ps:stop stops one-off processes such as run.1");
    }
    Tracked t = tracked.get(key(app, name));
    if (t != null) t.stopping = true;
    events.platform(app, name, "Stopping: asked by ps:stop");
    runtime.stop(app, status.get().id());
    if (t != null) untrack(t, null);
  }

  /**
   * Completes with the run's exit status once it ended on its own, or with null when it was
   * stopped (time limit, ps:stop, a disconnected client) or is unknown.
   */
  public CompletableFuture<Integer> exit(String app, String name) {
    Tracked t = tracked.get(key(app, name));
    return t == null ? CompletableFuture.completedFuture(null) : t.exit;
  }

  /** The one-offs of an app this server started that are still listed. */
  public List<OneOff> list(String app) {
    return tracked.values().stream().map(t -> t.oneOff).filter(o -> o.app().equals(app)).toList();
  }

  /** Enforces time limits, the attach window and how long completed runs stay; once a second. */
  void sweep() {
    Instant now = clock.instant();
    for (Tracked t : List.copyOf(tracked.values())) {
      OneOff o = t.oneOff;
      Optional<InstanceStatus> status = find(o.app(), o.name());
      if (status.isEmpty()) {
        if (!t.stopping) untrack(t, null); // removed by someone else (the app was destroyed)
        continue;
      }
      if (t.stopping) continue;
      InstanceStatus s = status.get();
      if (o.attached() && !t.clientAttached && !now.isBefore(o.startedAt().plus(ATTACH_WINDOW))) {
        events.platform(o.app(), o.name(), "Stopping: no client attached within " + ATTACH_WINDOW.toSeconds() + " s");
        stopInBackground(t);
      } else if (s.state() == InstanceState.COMPLETED) {
        if (t.completedAt == null) t.completedAt = now;
        t.exit.complete(s.exitCode());
        if (!o.attached() && !now.isBefore(t.completedAt.plus(KEEP_COMPLETED))) stopInBackground(t);
      } else if (!now.isBefore(o.deadline())) {
        events.platform(o.app(), o.name(), "Stopping: reached its time limit of " + words(o.timeLimit()));
        stopInBackground(t);
      }
    }
  }

  private void sweepSafely() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.warn("one-off sweep failed", e);
    }
  }

  private void stopInBackground(Tracked t) {
    if (t.stopping) return;
    t.stopping = true;
    OneOff o = t.oneOff;
    Thread.ofVirtual().name("pier-stop-" + o.app() + "." + o.name()).start(() -> {
      try {
        runtime.stop(o.app(), o.name());
      } finally {
        untrack(t, t.exit.getNow(null));
      }
    });
  }

  private void untrack(Tracked t, Integer status) {
    tracked.remove(key(t.oneOff.app(), t.oneOff.name()), t);
    t.exit.complete(status);
  }

  private Optional<InstanceStatus> find(String app, String name) {
    return runtime.list(app).stream().filter(s -> s.name().equals(name) || s.id().equals(name)).findFirst();
  }

  private static String key(String app, String name) {
    return app + "/" + name;
  }

  /** "24 h", "90 min", "45 s". */
  static String words(Duration d) {
    long s = d.toSeconds();
    if (s % 3600 == 0) return s / 3600 + " h";
    if (s % 60 == 0) return s / 60 + " min";
    return s + " s";
  }

  @Override
  public synchronized void close() {
    if (sweeper != null) sweeper.shutdownNow();
  }
}
