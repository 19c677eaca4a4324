package dev.pier.deploy;

import dev.pier.app.App;
import dev.pier.control.DesiredApp;
import dev.pier.control.Generations;
import dev.pier.control.Reconciler;
import dev.pier.control.RestartRequest;
import dev.pier.errors.PlatformException;
import dev.pier.logs.LogBus;
import dev.pier.model.AppName;
import dev.pier.model.InstanceState;
import dev.pier.model.LogLine;
import dev.pier.model.ProcessType;
import dev.pier.release.Release;
import dev.pier.runtime.DiskQuota;
import dev.pier.runtime.InstanceStatus;
import dev.pier.runtime.RuntimeBackend;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An app's processes as commands see them: the formation (count per process type, kept in the
 * store), the instances that run, and waiting for the {@link Reconciler} to make them match:
 *
 * <pre>
 *   command: store desired state -> Reconciler.signal -> await (ready / settled / replaced)
 *   Reconciler: start new beside old -> (caller moves traffic) -> drain old (in flight = 0) -> stop
 * </pre>
 */
public final class ProcessManager {
  /** Upper bound of instances per process type. */
  public static final int MAX_PER_TYPE = 100;

  /** Per-instance settings every start uses. */
  public record Limits(long memoryLimitBytes, Duration stopGrace, boolean dropPrivileges,
      Duration bootTimeout, Duration drainTimeout, DiskQuota disk,
      dev.pier.runtimes.NodeRuntimes nodeRuntimes) {
    public Limits {
      if (nodeRuntimes == null) nodeRuntimes = dev.pier.runtimes.NodeRuntimes.NONE;
    }

    /** Limits whose instances get no cached Node.js mounted (the host's node only). */
    public Limits(long memoryLimitBytes, Duration stopGrace, boolean dropPrivileges,
        Duration bootTimeout, Duration drainTimeout, DiskQuota disk) {
      this(memoryLimitBytes, stopGrace, dropPrivileges, bootTimeout, drainTimeout, disk, null);
    }

    /** These limits with the Node.js cache instances mount their release's Node.js from. */
    public Limits withNodeRuntimes(dev.pier.runtimes.NodeRuntimes runtimes) {
      return new Limits(memoryLimitBytes, stopGrace, dropPrivileges, bootTimeout, drainTimeout, disk, runtimes);
    }

    /** Limits without disk quotas. */
    public Limits(long memoryLimitBytes, Duration stopGrace, boolean dropPrivileges,
        Duration bootTimeout, Duration drainTimeout) {
      this(memoryLimitBytes, stopGrace, dropPrivileges, bootTimeout, drainTimeout, DiskQuota.NONE);
    }
  }

  private final RuntimeBackend runtime;
  private final FormationStore formations;
  private final LogBus logs;
  private final Limits limits;
  private final Reconciler reconciler;
  private volatile java.util.function.Function<App, Duration> bootTimeouts;

  public ProcessManager(
      RuntimeBackend runtime, FormationStore formations, LogBus logs, Limits limits, Reconciler reconciler) {
    this.runtime = runtime;
    this.formations = formations;
    this.logs = logs;
    this.limits = limits;
    this.reconciler = reconciler;
    this.bootTimeouts = app -> limits.bootTimeout();
  }

  public Reconciler reconciler() {
    return reconciler;
  }

  /** The stored formation, for deploy-time settings ({@link AppYamlFormation}). */
  FormationStore formations() {
    return formations;
  }

  /** True while an instance is being drained: routing must not send it new requests. */
  public boolean isDraining(String app, String id) {
    return reconciler.isDraining(app, id);
  }

  public Duration bootTimeout() {
    return limits.bootTimeout();
  }

  /** How long the app's web instances may take to boot: its own setting, else the default. */
  public Duration bootTimeout(App app) {
    return bootTimeouts.apply(app);
  }

  /** Where the per-app boot timeout comes from (the app store, in the server). */
  public void bootTimeoutsFrom(java.util.function.Function<App, Duration> source) {
    this.bootTimeouts = source;
  }

  /**
   * How long a rollout waits for the app's new web instances: its boot timeout plus as much again
   * (at most 10 s). An instance times its boot from its own spawn, after its directory is
   * prepared, and is killed with a reason ("did not listen on $PORT within 60 s") when it is over;
   * the extra time lets that verdict, which names the reason, arrive before the rollout gives up
   * without one.
   */
  public Duration readyTimeout(App app) {
    Duration boot = bootTimeout(app);
    return boot.plus(boot.compareTo(Duration.ofSeconds(10)) < 0 ? boot : Duration.ofSeconds(10));
  }

  /** Records the default formation for a release's new process types: web=1, others 0. */
  public void initFormation(AppName app, Release release) {
    Map<String, Integer> current = formations.get(app);
    Map<String, Integer> defaults = new LinkedHashMap<>();
    for (String type : release.processes().keySet()) {
      if (type.equals(ReleasePhase.TYPE)) continue; // run once per release, never a formation
      if (!current.containsKey(type)) defaults.put(type, type.equals("web") ? 1 : 0);
    }
    if (!defaults.isEmpty()) formations.put(app, defaults);
  }

  /** The formation restricted to the release's process types. */
  public Map<String, Integer> formation(AppName app, Release release) {
    Map<String, Integer> stored = formations.get(app);
    Map<String, Integer> shown = new LinkedHashMap<>();
    for (String type : release.processes().keySet()) {
      if (!type.equals(ReleasePhase.TYPE)) shown.put(type, stored.getOrDefault(type, 0));
    }
    return shown;
  }

  public List<InstanceStatus> list(String app) {
    return runtime.list(app);
  }

  /** True when {@code type} of the app autoscales. */
  public boolean autoscales(AppName app, String type) {
    return formations.autoscale(app).containsKey(type);
  }

  /** Memory and CPU use of a running instance, when the backend measures it. */
  public java.util.Optional<dev.pier.runtime.ResourceUsage> usage(InstanceStatus s) {
    return s.state() == InstanceState.UP ? runtime.usage(s.app(), s.id()) : java.util.Optional.empty();
  }

  /** 422 unless {@code type} is a valid process type name that {@code release} defines. */
  public static void requireType(Release release, String type) {
    try {
      ProcessType.of(type);
    } catch (IllegalArgumentException bad) {
      throw PlatformException.invalid(bad.getMessage());
    }
    if (release.processes().isEmpty()) { // #13: a static site
      throw PlatformException.invalid(release.name() + " is a static site served by the router:"
          + " it has no process types to run or scale");
    }
    if (type.equals(ReleasePhase.TYPE)) {
      throw PlatformException.invalid("'release' is the release phase command: it runs once before"
          + " each built release launches, not as instances");
    }
    if (!release.processes().containsKey(type)) {
      throw PlatformException.invalid("no process type '" + type + "' in " + release.name() + " (it has: "
          + String.join(", ", release.processes().keySet()) + ")");
    }
  }

  /** Validates and stores a scale request for {@code release}'s process types. */
  public Map<String, Integer> storeScale(App app, Release release, Map<String, Integer> changes, String user) {
    for (Map.Entry<String, Integer> e : changes.entrySet()) {
      String type = e.getKey();
      requireType(release, type);
      if (autoscales(app.name(), type)) {
        throw PlatformException.conflict(type + " autoscales: its count is the autoscaler's. Use pier autoscale:disable "
            + type + " --count N to fix it, or change --min and --max with pier autoscale:enable");
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

  /** Validates and stores sizes per process type; returns the types whose size changed. */
  public List<String> storeSizes(App app, Release release, Map<String, String> sizes, String user) {
    Map<String, InstanceSize> parsed = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : sizes.entrySet()) {
      requireType(release, e.getKey());
      parsed.put(e.getKey(), InstanceSize.parse(e.getValue()));
    }
    Map<String, String> before = formations.sizes(app.name());
    List<String> changed = new ArrayList<>();
    parsed.forEach((type, size) -> {
      if (!size.wireName().equals(before.get(type))) {
        formations.putSize(app.name(), type, size.wireName());
        changed.add(type);
      }
    });
    if (!changed.isEmpty()) {
      List<String> parts = new ArrayList<>();
      for (String type : changed) parts.add(type + "=" + parsed.get(type).wireName());
      logs.platform(app.name().value(), "api", "Sizes set: " + String.join(", ", parts) + " by " + user);
    }
    return changed;
  }

  /** Per process type: its size name and limits ("default" when none is set). */
  public Map<String, Map<String, Object>> sizes(App app, Release release) {
    Map<String, String> stored = formations.sizes(app.name());
    Map<String, Map<String, Object>> result = new LinkedHashMap<>();
    for (String type : release.processes().keySet()) {
      String name = stored.get(type);
      Map<String, Object> view = new LinkedHashMap<>();
      if (name == null) {
        view.put("size", "default");
        view.put("memory_mb", limits.memoryLimitBytes() >> 20);
        view.put("cpus", null);
      } else {
        InstanceSize size = InstanceSize.parse(name);
        view.put("size", size.wireName());
        view.put("memory_mb", size.memoryMb());
        view.put("cpus", size.cpus());
      }
      result.put(type, view);
    }
    return result;
  }

  /** Where an operation began: instances it starts have a newer generation; its boot log starts here. */
  public record Mark(long generation, Instant at) {}

  /** Marks the start of an operation, before it changes desired state. */
  public Mark mark() {
    return new Mark(reconciler.generation(), Instant.now());
  }

  /**
   * Reconciles the app and waits until every web slot of {@code versions} (as desired now) has
   * an instance that is up and not draining. Returns null when they have, else a message naming
   * the instance and why (an instance started since {@code mark} crashed, or the timeout passed),
   * followed by the app's output since the mark (its boot log).
   */
  public String awaitReady(App app, Set<Integer> versions, Mark mark, Duration timeout)
      throws InterruptedException {
    String name = app.name().value();
    String[] problem = new String[1];
    reconciler.signal(name);
    boolean done = reconciler.await(timeout, () -> {
      Map<Integer, Set<Integer>> up = new java.util.HashMap<>();
      for (InstanceStatus s : runtime.list(name)) {
        if (!versions.contains(s.release()) || !s.type().equals("web")) continue;
        boolean started = Generations.of(s.id()) > mark.generation();
        if (started && (s.state() == InstanceState.CRASHED
            || (s.state() == InstanceState.STOPPING && !reconciler.isLeaving(name, s.id())))) {
          problem[0] = s.name() + " of v" + s.release() + " exited while booting"
              + (s.reason() == null ? "" : " (" + s.reason().words() + ")") + bootLog(name, mark.at());
          return true;
        }
        if (s.state() == InstanceState.UP && !reconciler.isLeaving(name, s.id())) {
          up.computeIfAbsent(s.release(), v -> new HashSet<>()).add(s.index());
        }
      }
      DesiredApp desired = reconciler.desired(name);
      for (int version : versions) {
        Set<Integer> indexes = up.getOrDefault(version, Set.of());
        for (int i = 1; i <= desired.count(version, "web"); i++) if (!indexes.contains(i)) return false;
      }
      return true;
    });
    if (problem[0] != null) return problem[0];
    if (done) return null;
    String which = versions.stream().map(v -> "v" + v).collect(java.util.stream.Collectors.joining(", "));
    return "web instances of " + which + " did not become ready within " + timeout.toSeconds() + " s"
        + bootLog(name, mark.at());
  }

  /**
   * Reconciles the app and waits until nothing is left to do for it: instances that should go are
   * drained and stopped, missing ones started. Bounded by the boot and drain timeouts.
   */
  public boolean awaitSettled(App app) throws InterruptedException {
    Duration bound = bootTimeout(app).plus(limits.drainTimeout()).plus(limits.stopGrace()).plusSeconds(5);
    boolean settled = reconciler.awaitSettled(app.name().value(), bound);
    if (!settled) {
      logs.platform(app.name().value(), "api", "Still converging after " + bound.toSeconds()
          + " s: instances keep starting or stopping in the background");
    }
    return settled;
  }

  /** Stops every instance of the app at once (destroy); none starts until {@link #stoppedAll}. */
  public void stopAll(String app) {
    reconciler.forget(app);
  }

  /** The destroy that called {@link #stopAll} is over, done or failed. */
  public void stoppedAll(String app) {
    reconciler.remember(app);
  }

  /**
   * Rolling restart: the reconciler starts a replacement beside each matching instance and drains
   * the old one once its replacement is up. {@code target} is null (all), a type or an instance
   * name, optionally of one version ({@code web.1@v3}, see {@link InstanceAddress}). A bare
   * instance name that runs in more than one version is refused (409) naming the choices, so a
   * restart of one instance never replaces two. Returns the names restarted, qualified with their
   * version ({@code web.1@v3}) while the app runs more than one version. Fails, keeping the old
   * instances, when a replacement crashes or does not come up within the boot timeout.
   */
  public List<String> restart(App app, String target, String user) throws InterruptedException {
    String name = app.name().value();
    InstanceAddress address = InstanceAddress.parse(target);
    List<InstanceStatus> old = new ArrayList<>();
    Set<Integer> versionsRunning = new java.util.TreeSet<>();
    for (InstanceStatus s : runtime.list(name)) {
      if (reconciler.isLeaving(name, s.id())) continue;
      if (!s.task()) versionsRunning.add(s.release());
      if (address == null || address.matches(s)) old.add(s);
    }
    if (address != null && old.isEmpty()) {
      throw PlatformException.notFound(address.version() == null
          ? "no running instance or process type '" + target + "'"
          : "no running instance or process type '" + address.name() + "' of v" + address.version());
    }
    if (address != null && address.isInstance() && address.version() == null) {
      List<String> choices = old.stream().map(InstanceAddress::qualified).distinct().sorted().toList();
      if (choices.size() > 1) {
        throw PlatformException.conflict(target + " runs in more than one version: name one of "
            + String.join(", ", choices) + " (for example pier ps:restart " + choices.get(choices.size() - 1) + ")");
      }
    }
    boolean qualify = versionsRunning.size() > 1;
    logs.platform(name, "api", "Restarting " + (address == null ? "all instances" : address.toString()) + " by " + user);
    Mark mark = mark();
    RestartRequest request = reconciler.restart(name, address == null ? null : address.name(),
        address == null ? null : address.version());
    Set<String> oldIds = new HashSet<>();
    for (InstanceStatus s : old) oldIds.add(s.id());
    String[] problem = new String[1];
    try {
      // Replacements must come up within the boot timeout; the old instances then drain.
      Duration boot = bootTimeout(app);
      boolean done = reconciler.await(boot.plus(limits.drainTimeout()).plus(limits.stopGrace()), () -> {
        boolean oldLeft = false;
        for (InstanceStatus s : runtime.list(name)) {
          if (Generations.of(s.id()) > mark.generation() && request.matchesTarget(s)
              && s.state() == InstanceState.CRASHED) {
            problem[0] = s.name() + " of v" + s.release() + " exited while booting"
                + (s.reason() == null ? "" : " (" + s.reason().words() + ")") + bootLog(name, mark.at());
            return true;
          }
          if (oldIds.contains(s.id())) oldLeft = true;
        }
        return !oldLeft;
      });
      if (problem[0] == null && !done) {
        problem[0] = "replacements did not become ready within " + boot.toSeconds() + " s"
            + bootLog(name, mark.at());
      }
    } finally {
      reconciler.finish(name, request);
    }
    if (problem[0] != null) {
      throw PlatformException.conflict("restart failed, the old instances keep running: " + problem[0]);
    }
    return old.stream().map(s -> qualify && !s.task() ? InstanceAddress.qualified(s) : s.name()).toList();
  }

  private String bootLog(String app, Instant since) {
    List<String> lines = new ArrayList<>();
    for (LogLine line : logs.recent(app, 300)) {
      if (line.time().isBefore(since)) continue;
      if (line.source().equals("app") || line.process().startsWith("web.")) lines.add(line.format());
    }
    List<String> tail = lines.subList(Math.max(0, lines.size() - 20), lines.size());
    return tail.isEmpty() ? " (it printed nothing)" : "; its output:\n" + String.join("\n", tail);
  }
}
