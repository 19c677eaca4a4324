package dev.pier.deploy;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.build.BuildOutput;
import dev.pier.release.ReleaseService;
import java.util.List;
import java.util.Map;

/**
 * Scaling and restarts across an app's running versions (each runs the app's formation), under
 * the app's lock.
 */
public final class Scaler {
  private final AppService apps;
  private final ReleaseService releaseService;
  private final ProcessManager processes;
  private final Rollout rollout;

  public Scaler(AppService apps, ReleaseService releaseService, ProcessManager processes, Rollout rollout) {
    this.apps = apps;
    this.releaseService = releaseService;
    this.processes = processes;
    this.rollout = rollout;
  }

  /** Stores the new counts and starts or drains instances of every running version to match. */
  public Map<String, Integer> scale(App app, Map<String, Integer> changes, String user) throws Exception {
    return rollout.locked(app, BuildOutput.NONE, () -> {
      App current = apps.get(app.name());
      Map<String, Integer> result = processes.storeScale(current, releaseService.current(current), changes, user);
      processes.awaitSettled(current);
      return result;
    });
  }

  /** Rolling restart of all instances, a type or one instance; returns the names restarted. */
  public List<String> restart(App app, String target, String user) throws Exception {
    return rollout.locked(app, BuildOutput.NONE, () -> {
      App current = apps.get(app.name());
      releaseService.current(current);
      return processes.restart(current, target, user);
    });
  }


  /** The size of every process type of the current release, as {@code ps:type} shows it. */
  public Map<String, Map<String, Object>> sizes(App app) {
    return processes.sizes(app, releaseService.current(app));
  }

  /**
   * Stores new sizes and replaces the instances of those types (a rolling restart), so they run
   * with the new memory and CPU limits.
   */
  public void resize(App app, Map<String, String> sizes, String user) throws Exception {
    rollout.locked(app, BuildOutput.NONE, () -> {
      App current = apps.get(app.name());
      java.util.List<String> changed = processes.storeSizes(current, releaseService.current(current), sizes, user);
      for (String type : changed) {
        if (processes.list(current.name().value()).stream().anyMatch(s -> s.type().equals(type))) {
          processes.restart(current, type, user);
        }
      }
      return null;
    });
  }
}
