package dev.pier.deploy;

import dev.pier.model.InstanceState;
import dev.pier.runtime.InstanceListener;
import dev.pier.runtime.InstanceSpec;
import dev.pier.runtime.InstanceStatus;
import dev.pier.runtime.RuntimeBackend;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A {@link RuntimeBackend} that runs nothing: instances live in memory, the test decides when one
 * is up, crashes or exits, and every start and stop is recorded. Listener events follow the real
 * backend's order (new -> STARTING -> UP; stop -> STOPPING -> gone) and are delivered outside the
 * fake's lock, so a listener may call {@link #list}.
 *
 * <p>By default an instance becomes UP as soon as it starts; {@link #neverReady} and {@link
 * #crashOnStart} change that per release version.
 */
public final class FakeRuntimeBackend implements RuntimeBackend {
  /** One call the server made. {@code spec} is null for stops. */
  public record Call(Kind kind, String app, String id, InstanceSpec spec) {
    public enum Kind { START, STOP }
  }

  private final InstantSource clock;
  private volatile InstanceListener listener = InstanceListener.NONE;
  private final Map<String, Instance> instances = new LinkedHashMap<>();
  private final List<Call> calls = new ArrayList<>();
  private Predicate<InstanceSpec> neverReady = spec -> false;
  private Predicate<InstanceSpec> crashOnStart = spec -> false;
  private final AtomicInteger ports = new AtomicInteger(40_000);
  private boolean closed;
  private String bootLine;

  private static final class Instance {
    final InstanceSpec spec;
    final int port;
    final java.time.Instant startedAt;
    InstanceState state;

    Instance(InstanceSpec spec, int port, java.time.Instant startedAt) {
      this.spec = spec;
      this.port = port;
      this.startedAt = startedAt;
    }
  }

  public FakeRuntimeBackend(InstantSource clock) {
    this.clock = clock;
  }

  /** The listener events go to (the real backend takes it at construction). */
  public void listener(InstanceListener listener) {
    this.listener = listener;
  }

  /** Instances of this release stay STARTING until the test marks them. */
  public void neverReady(int release) {
    neverReadyWhen(spec -> spec.release() == release);
  }

  /** Matching instances started from now on stay STARTING until the test marks them. */
  public synchronized void neverReadyWhen(Predicate<InstanceSpec> which) {
    neverReady = neverReady.or(which);
  }

  /** Instances of this release crash right after starting (as a process exiting at boot). */
  public void crashOnStart(int release) {
    crashOnStartWhen(spec -> spec.release() == release);
  }

  /** Matching instances started from now on crash right after starting. */
  public synchronized void crashOnStartWhen(Predicate<InstanceSpec> which) {
    crashOnStart = crashOnStart.or(which);
  }

  /** Every instance started from now on prints {@code line} right after starting. */
  public synchronized void printOnStart(String line) {
    bootLine = line;
  }

  /** A line the instance wrote to stdout. */
  public void output(String app, String id, String line) {
    listener.output(app, id, line);
  }

  @Override
  public void start(InstanceSpec spec) {
    String app = spec.app().value();
    Instance replaced;
    Instance started;
    synchronized (this) {
      if (closed) throw new IllegalStateException("closed");
      calls.add(new Call(Call.Kind.START, app, spec.id(), spec));
      replaced = instances.get(key(app, spec.id()));
    }
    if (replaced != null) stop(app, spec.id());
    synchronized (this) {
      started = new Instance(spec, ports.incrementAndGet(), clock.instant());
      started.state = InstanceState.STARTING;
      instances.put(key(app, spec.id()), started);
    }
    listener.stateChanged(app, spec.id(), null, InstanceState.STARTING,
        "Starting process with command `" + spec.command() + "`");
    boolean crash;
    boolean ready;
    String line;
    synchronized (this) {
      crash = crashOnStart.test(spec);
      ready = !crash && !neverReady.test(spec);
      line = bootLine;
    }
    if (line != null) listener.output(app, spec.id(), line);
    if (crash) markCrashed(app, spec.id(), "Process exited with status 1");
    if (ready) markUp(app, spec.id());
  }

  /** The instance answers on its port now (STARTING or CRASHED -> UP). */
  public void markUp(String app, String id) {
    move(app, id, InstanceState.UP, "port accepting connections");
  }

  /** The instance's process died; it waits for a restart (-> CRASHED). */
  public void markCrashed(String app, String id, String reason) {
    move(app, id, InstanceState.CRASHED, reason);
  }

  /** The instance's process exited on its own and it is gone, as if never restarted. */
  public void markExited(String app, String id) {
    InstanceState from;
    synchronized (this) {
      Instance i = instances.remove(key(app, id));
      if (i == null) throw new IllegalArgumentException("no instance " + app + "/" + id);
      from = i.state;
    }
    listener.stateChanged(app, id, from, null, "Process exited with status 0");
  }

  private void move(String app, String id, InstanceState to, String reason) {
    InstanceState from;
    synchronized (this) {
      Instance i = instances.get(key(app, id));
      if (i == null) throw new IllegalArgumentException("no instance " + app + "/" + id);
      from = i.state;
      i.state = to;
    }
    listener.stateChanged(app, id, from, to, reason);
  }

  @Override
  public void stop(String app, String id) {
    InstanceState from;
    synchronized (this) {
      calls.add(new Call(Call.Kind.STOP, app, id, null));
      Instance i = instances.get(key(app, id));
      if (i == null) return;
      from = i.state;
      i.state = InstanceState.STOPPING;
    }
    listener.stateChanged(app, id, from, InstanceState.STOPPING, "Stopping all processes with SIGTERM");
    synchronized (this) {
      instances.remove(key(app, id));
    }
    listener.stateChanged(app, id, InstanceState.STOPPING, null, "Process exited with status 143");
  }

  @Override
  public synchronized List<InstanceStatus> list(String app) {
    List<InstanceStatus> result = new ArrayList<>();
    for (Instance i : instances.values()) {
      if (!i.spec.app().value().equals(app)) continue;
      result.add(new InstanceStatus(app, i.spec.id(), i.spec.name(), i.spec.type().value(),
          i.spec.index(), i.spec.release(), i.state, i.startedAt,
          i.state == InstanceState.STOPPING ? 0 : i.port, 0, i.spec.command(), null, null));
    }
    result.sort(Comparator.comparing(InstanceStatus::type).thenComparingInt(InstanceStatus::index)
        .thenComparing(InstanceStatus::id));
    return result;
  }

  @Override
  public void close() {
    List<InstanceStatus> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      for (Instance i : instances.values()) {
        all.add(new InstanceStatus(i.spec.app().value(), i.spec.id(), null, null, 0, 0, null, null, 0, 0, null, null, null));
      }
    }
    for (InstanceStatus s : all) stop(s.app(), s.id());
  }

  /** Every start and stop so far, in order. */
  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The specs started so far, in order. */
  public synchronized List<InstanceSpec> started() {
    return calls.stream().filter(c -> c.kind() == Call.Kind.START).map(Call::spec).toList();
  }

  /** The ids stopped so far, in order. */
  public synchronized List<String> stopped() {
    return calls.stream().filter(c -> c.kind() == Call.Kind.STOP).map(Call::id).toList();
  }

  private static String key(String app, String id) {
    return app + "/" + id;
  }
}
