package dev.pier.versions;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.build.BuildOutput;
import dev.pier.config.ConfigStore;
import dev.pier.deploy.Rollout;
import dev.pier.logs.LogBus;
import dev.pier.model.SplitBy;
import dev.pier.release.Release;
import dev.pier.release.ReleaseStore;
import dev.pier.runtime.InstanceStatus;
import dev.pier.errors.PlatformException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Versions as App Engine has them and rollbacks as Heroku has them: traffic splits, migrations,
 * starting and stopping versions, rolling back to an earlier release. All changes go through
 * {@link Rollout}, so none drops a request.
 */
public final class VersionService {
  /** Steps of a gradual migration, in percent of the traffic for the target version. */
  static final int[] GRADUAL_STEPS = {10, 25, 50, 75, 100};

  /** Bounds of the time each step of a gradual migration is held, in seconds. */
  public static final int MIN_STEP_SECONDS = 1;

  public static final int MAX_STEP_SECONDS = 3600;

  /** A release with what it is doing now. */
  public record VersionState(Release release, String state, int percent, boolean running, int instances) {}

  private final AppService apps;
  private final ReleaseStore releases;
  private final ConfigStore config;
  private final VersionStore versions;
  private final Rollout rollout;
  private final Function<String, List<InstanceStatus>> instances;
  private final LogBus logs;
  private final InstantSource clock;

  public VersionService(
      AppService apps, ReleaseStore releases, ConfigStore config, VersionStore versions,
      Rollout rollout, Function<String, List<InstanceStatus>> instances, LogBus logs,
      InstantSource clock) {
    this.apps = apps;
    this.releases = releases;
    this.config = config;
    this.versions = versions;
    this.rollout = rollout;
    this.instances = instances;
    this.logs = logs;
    this.clock = clock;
  }

  public Traffic traffic(App app) {
    return versions.traffic(app.name());
  }

  /** Every release with its state, newest first; a branch preview's release is in state "preview". */
  public List<VersionState> states(App app) {
    Traffic traffic = versions.traffic(app.name());
    Set<Integer> running = versions.running(app.name());
    Map<Integer, Integer> counts = new TreeMap<>();
    for (InstanceStatus s : instances.apply(app.name().value())) counts.merge(s.release(), 1, Integer::sum);
    List<VersionState> result = new ArrayList<>();
    Set<Integer> previewReleases = previews.apply(app.name());
    for (Release r : releases.list(app.name())) {
      int percent = traffic.percent(r.version());
      boolean isRunning = running.contains(r.version());
      String state =
          previewReleases.contains(r.version()) ? "preview"
              : r.failed() ? "failed"
              : r.version() == app.currentRelease() && percent > 0 ? "current"
              : percent > 0 ? "serving"
              : isRunning ? "running"
              : "stopped";
      result.add(new VersionState(r, state, percent, isRunning, counts.getOrDefault(r.version(), 0)));
    }
    return result;
  }

  public VersionState state(App app, int version) {
    return states(app).stream().filter(s -> s.release().version() == version).findFirst()
        .orElseThrow(() -> PlatformException.notFound("app '" + app.name() + "' has no version v" + version));
  }

  /**
   * Rolls back to {@code version} (null: the release before the current one) as a new release
   * with its slug, config and process types; config vars are reset to its values.
   */
  public Release rollback(App app, Integer version, String user, BuildOutput out) throws Exception {
    return rollout.locked(app, out, () -> {
      App current = apps.get(app.name());
      if (!current.hasRelease()) throw PlatformException.conflict("app '" + app.name() + "' has no release to roll back");
      int target = version != null ? version : previous(current);
      notAPreview(app, target);
      if (target == current.currentRelease()) {
        throw PlatformException.conflict("v" + target + " is already the current release");
      }
      Release from = rollout.runnable(current, target);
      if (from.failed()) throw PlatformException.conflict("v" + target + " never became ready; pick another release");
      Map<String, String> before = config.get(app.name());
      Release release = releases.create(app.name(), from.slug(), "Rollback to " + from.name(), user,
          clock.instant(), from.env(), from.buildEnv(), from.processes(), from.readinessPath(), from.commit());
      logs.platform(app.name().value(), "api", "Release " + release.name() + " created by " + user + ": Rollback to " + from.name());
      replaceConfig(app, from.env());
      out.step("Rolling back to " + from.name() + " as " + release.name() + "...");
      Traffic next = versions.traffic(app.name()).replacing(current.currentRelease(), release.version());
      String problem = rollout.apply(current, next, true, user, out);
      if (problem != null) {
        releases.markFailed(app.name(), release.version());
        replaceConfig(app, before);
        throw PlatformException.conflict("rollback failed, nothing changed: " + problem);
      }
      out.info("Released " + release.name());
      return release;
    });
  }

  /** Validates and applies a split. Returns null on success, else why it failed (nothing changed). */
  public String split(App app, Map<Integer, Integer> shares, SplitBy splitBy, String user, BuildOutput out)
      throws Exception {
    Traffic current = versions.traffic(app.name());
    Traffic target = Traffic.validated(splitBy == null ? current.splitBy() : splitBy, shares);
    for (int v : shares.keySet()) notAPreview(app, v);
    for (int v : shares.keySet()) {
      Release release = rollout.runnable(app, v);
      if (release.failed() && target.percent(v) > 0) {
        throw PlatformException.conflict("v" + v + " never became ready and cannot take traffic");
      }
    }
    return rollout.locked(app, out, () -> rollout.apply(apps.get(app.name()), target, false, user, out));
  }

  /** Moves all traffic to {@code version}, at once or in steps. */
  public String migrate(App app, int version, boolean gradual, int stepSeconds, String user, BuildOutput out)
      throws Exception {
    notAPreview(app, version);
    Release release = rollout.runnable(app, version);
    if (release.failed()) throw PlatformException.conflict("v" + version + " never became ready and cannot take traffic");
    if (stepSeconds < MIN_STEP_SECONDS || stepSeconds > MAX_STEP_SECONDS) {
      throw PlatformException.invalid("step_seconds must be " + MIN_STEP_SECONDS + " to " + MAX_STEP_SECONDS);
    }
    Traffic start = versions.traffic(app.name());
    int[] steps = gradual ? GRADUAL_STEPS : new int[] {100};
    for (int i = 0; i < steps.length; i++) {
      if (steps[i] <= start.percent(version)) continue;
      Traffic step = new Traffic(start.splitBy(), shares(start, version, steps[i]));
      String problem = rollout.locked(app, out, () -> rollout.apply(apps.get(app.name()), step, false, user, out));
      if (problem != null) return problem;
      if (i < steps.length - 1) Thread.sleep(stepSeconds * 1000L);
    }
    return null;
  }

  /** Starts a version's instances without giving it traffic; it answers at its version URL. */
  public void start(App app, int version, String user) throws Exception {
    notAPreview(app, version);
    rollout.locked(app, BuildOutput.NONE, () -> {
      Release release = rollout.runnable(app, version);
      String problem = rollout.startWithoutTraffic(apps.get(app.name()), release);
      if (problem != null) throw PlatformException.conflict("v" + version + " did not start: " + problem);
      logs.platform(app.name().value(), "api", "Version v" + version + " started by " + user);
      return null;
    });
  }

  /** Drains and stops a version with no traffic. */
  public void stop(App app, int version, String user) throws Exception {
    notAPreview(app, version);
    releases.find(app.name(), version)
        .orElseThrow(() -> PlatformException.notFound("app '" + app.name() + "' has no version v" + version));
    rollout.locked(app, BuildOutput.NONE, () -> {
      rollout.stop(apps.get(app.name()), version);
      logs.platform(app.name().value(), "api", "Version v" + version + " stopped by " + user);
      return null;
    });
  }

  /** Target version gets {@code percent}; the rest keeps the proportions of {@code from}. */
  static Map<Integer, Integer> shares(Traffic from, int version, int percent) {
    Map<Integer, Integer> others = new TreeMap<>(from.allocations());
    others.remove(version);
    int otherTotal = others.values().stream().mapToInt(Integer::intValue).sum();
    Map<Integer, Integer> result = new LinkedHashMap<>();
    result.put(version, percent);
    int left = 100 - percent;
    if (left == 0 || otherTotal == 0) {
      result.put(version, 100);
      return result;
    }
    int given = 0;
    Integer last = null;
    for (Map.Entry<Integer, Integer> e : others.entrySet()) {
      int share = e.getValue() * left / otherTotal;
      result.put(e.getKey(), share);
      given += share;
      last = e.getKey();
    }
    result.merge(last, left - given, Integer::sum);
    return result;
  }

  /**
   * #10 branch previews: releases built for a preview are not versions of the app here (not listed,
   * never in a split, never the release rolled back to).
   */
  private volatile java.util.function.Function<dev.pier.model.AppName, Set<Integer>> previews = a -> Set.of();

  public void excludePreviews(java.util.function.Function<dev.pier.model.AppName, Set<Integer>> previews) {
    this.previews = java.util.Objects.requireNonNull(previews, "previews");
  }

  /** Refuses (409) to treat a branch preview's release as a version of the app. */
  private void notAPreview(App app, int version) {
    if (previews.apply(app.name()).contains(version)) {
      throw PlatformException.conflict("v" + version + " was built for a branch preview: see pier previews");
    }
  }

  private int previous(App app) {
    Set<Integer> previewReleases = previews.apply(app.name());
    for (Release r : releases.list(app.name())) {
      if (r.version() < app.currentRelease() && !r.failed() && !previewReleases.contains(r.version())) return r.version();
    }
    throw PlatformException.conflict("there is no release before v" + app.currentRelease() + " to roll back to");
  }

  private void replaceConfig(App app, Map<String, String> vars) {
    Map<String, String> changes = new LinkedHashMap<>();
    for (String key : config.get(app.name()).keySet()) changes.put(key, null);
    changes.putAll(vars);
    config.update(app.name(), changes);
  }
}
