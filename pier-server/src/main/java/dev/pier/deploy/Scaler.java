package dev.pier.deploy;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.build.BuildOutput;
import dev.pier.release.Release;
import dev.pier.release.ReleaseService;
import dev.pier.release.ReleaseStore;
import dev.pier.versions.VersionStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scaling and restarts across an app's running versions (each runs the app's formation), and
 * bringing instances back when the server starts.
 */
public final class Scaler {
  private final AppService apps;
  private final ReleaseService releaseService;
  private final ReleaseStore releases;
  private final VersionStore versions;
  private final ProcessManager processes;
  private final Rollout rollout;

  public Scaler(
      AppService apps, ReleaseService releaseService, ReleaseStore releases, VersionStore versions,
      ProcessManager processes, Rollout rollout) {
    this.apps = apps;
    this.releaseService = releaseService;
    this.releases = releases;
    this.versions = versions;
    this.processes = processes;
    this.rollout = rollout;
  }

  /** Stores the new counts and starts or drains instances of every running version to match. */
  public Map<String, Integer> scale(App app, Map<String, Integer> changes, String user) throws Exception {
    return rollout.locked(app, BuildOutput.NONE, () -> {
      App current = apps.get(app.name());
      Map<String, Integer> result = processes.storeScale(current, releaseService.current(current), changes, user);
      for (Release release : running(current).values()) processes.reconcile(current, release);
      return result;
    });
  }

  /** Rolling restart of all instances, a type or one instance; returns the names restarted. */
  public List<String> restart(App app, String target, String user) throws Exception {
    return rollout.locked(app, BuildOutput.NONE, () -> {
      App current = apps.get(app.name());
      releaseService.current(current);
      return processes.restart(current, running(current), target, user);
    });
  }

  /** Starts the instances of every running version (server start). */
  public void restore(App app) {
    for (Release release : running(app).values()) processes.reconcile(app, release);
  }

  private Map<Integer, Release> running(App app) {
    Map<Integer, Release> result = new LinkedHashMap<>();
    for (int version : versions.running(app.name())) {
      releases.find(app.name(), version).ifPresent(r -> result.put(version, r));
    }
    return result;
  }
}
