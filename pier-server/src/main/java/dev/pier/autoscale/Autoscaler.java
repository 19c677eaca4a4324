package dev.pier.autoscale;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.control.Reconciler;
import dev.pier.control.ScaleSource;
import dev.pier.model.InstanceState;
import dev.pier.router.RouterLoad;
import dev.pier.router.VersionLoad;
import dev.pier.runtime.InstanceStatus;
import dev.pier.runtime.ResourceUsage;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link Kpa} for every version of every process type that autoscales: once a tick it
 * samples the router (requests in flight and held, requests per second, per version) and the
 * runtime (CPU per instance), asks for a decision, and when the count changes tells the
 * reconciler and writes a platform line with the numbers to the app's log. A request held for a
 * version at zero wakes it at once ({@link #wake}), without waiting for the tick.
 *
 * <p>Counts live in memory: after a server restart every autoscaled type starts again from its
 * formation count (at least {@code min}, at least 1), as Knative starts a revision at its initial
 * scale.
 */
public final class Autoscaler implements ScaleSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Autoscaler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where the autoscaler reads what it needs; the server wires the stores, router and runtime. */
  public interface Sources {
    /** Every app name. */
    List<String> apps();

    /** The autoscaling specs of an app's types, as stored (JSON per type). */
    Map<String, String> specs(String app);

    /**
     * What should run for an app now: version -> process type -> count (for autoscaled types,
     * the count this autoscaler gives, or its starting count).
     */
    Map<Integer, Map<String, Integer>> desired(String app);

    /** The instances of an app. */
    List<InstanceStatus> instances(String app);

    /** Memory and CPU use of one instance, when measured. */
    Optional<ResourceUsage> usage(InstanceStatus instance);

    /** The router's load now. */
    RouterLoad load();

    /** A platform line in the app's log. */
    void log(String app, String message);
  }

  private record Key(String app, int version, String type) {}

  /** What is kept per version and type between ticks. */
  private static final class Track {
    final AutoscaleSpec spec;
    final MetricWindow window;
    State state = State.INITIAL;
    int count;
    Mode mode = Mode.STABLE;
    LoadSample last;
    Instant wokeAt;

    Track(AutoscaleSpec spec, int count) {
      this.spec = spec;
      this.window = MetricWindow.forSpec(spec);
      this.count = count;
    }
  }

  private final Sources sources;
  private final Reconciler reconciler;
  private final InstantSource clock;
  private final Duration tick;
  private final Decider decider = new Kpa();
  private final Map<Key, Track> tracks = new ConcurrentHashMap<>();
  private final Map<String, AutoscaleSpec> parsed = new ConcurrentHashMap<>();
  private final Map<String, Long> cpuNanos = new HashMap<>();
  private final Set<String> measured = new HashSet<>();
  private RouterLoad previous;
  private long previousNanos;
  private Thread loop;
  private volatile boolean closed;

  public Autoscaler(Sources sources, Reconciler reconciler, InstantSource clock, Duration tick) {
    this.sources = sources;
    this.reconciler = reconciler;
    this.clock = clock;
    this.tick = tick;
  }

  public synchronized Autoscaler start() {
    if (loop == null) loop = Thread.ofPlatform().daemon().name("pier-autoscaler").start(this::run);
    return this;
  }

  /** The spec stored as {@code json}; parsed once. */
  public AutoscaleSpec spec(String json) {
    return parsed.computeIfAbsent(json, j -> {
      try {
        return AutoscaleSpec.fromJson(JSON.readTree(j));
      } catch (IOException e) {
        throw new IllegalStateException("stored autoscale spec is not JSON: " + j, e);
      }
    });
  }

  @Override
  public int count(String app, int version, String type, int fallback) {
    Track t = tracks.get(new Key(app, version, type));
    if (t != null) {
      synchronized (t) {
        return t.count;
      }
    }
    String json = sources.specs(app).get(type);
    if (json == null) return fallback;
    AutoscaleSpec spec = spec(json);
    return Math.min(spec.max(), Math.max(Math.max(spec.min(), 1), fallback));
  }

  /**
   * A request waits for {@code version} of {@code app}: every autoscaled web type of it at zero
   * goes to one now. Never blocks (the router calls it on an event loop).
   */
  public void wake(String app, int version) {
    Track t = tracks.get(new Key(app, version, "web"));
    if (t == null) return;
    boolean woke = false;
    synchronized (t) {
      if (t.count == 0) {
        t.count = 1;
        t.wokeAt = clock.instant();
        woke = true;
      }
    }
    if (woke) {
      Thread.ofVirtual().start(() -> sources.log(app,
          "Autoscaler: web of v" + version + " 0 -> 1: a request is waiting (cold start)"));
      reconciler.signal(app);
    }
  }

  /** Forgets what was decided for a type (autoscaling turned off or its spec changed). */
  public void reset(String app, String type) {
    tracks.keySet().removeIf(k -> k.app().equals(app) && k.type().equals(type));
    if (parsed.size() > 1000) parsed.clear(); // a cache of stored specs, not state
  }

  /** The numbers and last decision of one version of a type, for {@code pier autoscale}. */
  public record Status(int desired, Mode mode, LoadSample observed, Change lastChange) {}

  public Optional<Status> status(String app, int version, String type) {
    Track t = tracks.get(new Key(app, version, type));
    if (t == null) return Optional.empty();
    synchronized (t) {
      return Optional.of(new Status(t.count, t.mode, t.last, t.state.lastChange()));
    }
  }

  /** One round: sample, decide, apply. Called by the loop; tests call it directly. */
  public void tick() {
    RouterLoad load = sources.load();
    long nanos = load.nanoTime();
    RouterLoad earlier = previous;
    double seconds = earlier == null ? 0 : (nanos - previousNanos) / 1e9;
    Instant now = clock.instant();
    Set<Key> seen = new HashSet<>();
    measured.clear();
    for (String app : sources.apps()) {
      try {
        tickApp(app, load, earlier, seconds, now, seen);
      } catch (RuntimeException e) {
        // One app's bad data must not stop autoscaling for the others; keep what it had.
        tracks.keySet().stream().filter(k -> k.app().equals(app)).forEach(seen::add);
        LOG.warn("autoscaling {} failed this tick: {}", app, e.toString());
      }
    }
    tracks.keySet().retainAll(seen);
    cpuNanos.keySet().retainAll(measured);
    previous = load;
    previousNanos = nanos;
  }

  private void tickApp(String app, RouterLoad load, RouterLoad earlier, double seconds, Instant now,
      Set<Key> seen) {
    Map<String, String> specs = sources.specs(app);
    if (specs.isEmpty()) return;
    Map<Integer, Map<String, Integer>> desired = sources.desired(app);
    List<InstanceStatus> instances = sources.instances(app);
    boolean changed = false;
    for (Map.Entry<String, String> e : specs.entrySet()) {
      AutoscaleSpec spec = spec(e.getValue());
      for (Map.Entry<Integer, Map<String, Integer>> v : desired.entrySet()) {
        int version = v.getKey();
        Key key = new Key(app, version, e.getKey());
        seen.add(key);
        // A new track starts at what runs now (the formation count within the bounds), so
        // starting to watch a version never changes its count by itself.
        int start = v.getValue().getOrDefault(e.getKey(), 1);
        Track t = tracks.computeIfAbsent(key, k -> new Track(spec, start));
        if (!t.spec.equals(spec)) {
          Track fresh = new Track(spec, Math.min(spec.max(), Math.max(spec.min(), t.count)));
          tracks.put(key, fresh);
          t = fresh;
        }
        LoadSample sample = sample(app, version, e.getKey(), instances, load, earlier, seconds, now);
        changed |= decide(app, key, t, sample, now);
      }
    }
    if (changed) reconciler.signal(app);
  }

  private LoadSample sample(String app, int version, String type, List<InstanceStatus> instances,
      RouterLoad load, RouterLoad earlier, double seconds, Instant now) {
    int ready = 0;
    double cpu = 0;
    for (InstanceStatus s : instances) {
      if (s.release() != version || !s.type().equals(type) || s.state() != InstanceState.UP) continue;
      if (reconciler.isLeaving(app, s.id())) continue;
      ready++;
      Optional<ResourceUsage> usage = sources.usage(s);
      if (usage.isEmpty()) continue;
      measured.add(s.id());
      Long before = cpuNanos.put(s.id(), usage.get().cpuNanos());
      if (before != null && seconds > 0) {
        double cores = usage.get().cpus() > 0 ? usage.get().cpus() : 1;
        cpu += Math.max(0, usage.get().cpuNanos() - before) / (seconds * 1e9) / cores * 100;
      }
    }
    if (!type.equals("web")) {
      return new LoadSample(now, 0, 0, cpu, ready, 0);
    }
    VersionLoad v = load.version(app, version);
    double concurrency = earlier == null ? v.inFlight() : load.averageConcurrency(earlier, app, version);
    double rps = earlier == null ? 0 : load.requestsPerSecond(earlier, app, version);
    return new LoadSample(now, concurrency, rps, cpu, ready, v.inFlight());
  }

  private boolean decide(String app, Key key, Track t, LoadSample sample, Instant now) {
    Decision d;
    synchronized (t) {
      if (t.last != null && sample.at().isBefore(t.last.at())) return false; // the clock stepped back
      t.window.add(sample);
      t.last = sample;
      d = decider.decide(t.spec, t.window, t.state, t.count, now);
      t.state = d.next();
      t.mode = d.mode();
      if (!d.changes()) return false;
      // A wake may have come after this tick's sample was taken: never undo it with that sample.
      if (d.desired() == 0 && t.wokeAt != null && now.isBefore(t.wokeAt.plus(t.spec.idleGrace()))) return false;
      t.count = d.desired();
    }
    sources.log(app, "Autoscaler: " + key.type() + " of v" + key.version() + " " + d.from() + " -> "
        + d.desired() + ": " + d.reason());
    return true;
  }

  private void run() {
    while (!closed) {
      try {
        tick();
      } catch (Throwable e) { // the loop must outlive any one failure
        if (!closed) LOG.warn("autoscaler tick failed: {}", e.toString(), e);
      }
      try {
        Thread.sleep(tick);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    Thread t;
    synchronized (this) {
      t = loop;
    }
    if (t != null) t.interrupt();
  }
}
