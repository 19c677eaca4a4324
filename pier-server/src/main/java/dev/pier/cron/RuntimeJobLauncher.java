package dev.pier.cron;

import dev.pier.app.App;
import dev.pier.app.AppStore;
import dev.pier.control.Slot;
import dev.pier.deploy.InstanceSpecs;
import dev.pier.errors.PlatformException;
import dev.pier.model.AppName;
import dev.pier.model.InstanceState;
import dev.pier.model.ProcessType;
import dev.pier.release.Release;
import dev.pier.release.ReleaseStore;
import dev.pier.runtime.InstanceSpec;
import dev.pier.runtime.InstanceStatus;
import dev.pier.runtime.RunMode;
import dev.pier.runtime.RuntimeBackend;
import java.util.Optional;

/**
 * Runs a job as a {@link RunMode#TASK} instance through the runtime, built as every one-off is
 * ({@link InstanceSpecs#oneOff}: the current release's slug and config vars, the app's uid and
 * disk quota, the default instance size) with the job's command and name. The control loop
 * leaves task instances alone.
 */
public final class RuntimeJobLauncher implements JobLauncher {
  private final AppStore apps;
  private final ReleaseStore releases;
  private final InstanceSpecs specs;
  private final RuntimeBackend runtime;

  public RuntimeJobLauncher(AppStore apps, ReleaseStore releases, InstanceSpecs specs, RuntimeBackend runtime) {
    this.apps = apps;
    this.releases = releases;
    this.specs = specs;
    this.runtime = runtime;
  }

  @Override
  public Launched launch(String appName, String command, String name) {
    AppName an = new AppName(appName);
    App app = apps.find(an).orElseThrow(() -> PlatformException.notFound("no app '" + appName + "'"));
    if (!app.hasRelease()) throw PlatformException.conflict("app '" + appName + "' has no release yet: deploy it first");
    Release release = releases.find(an, app.currentRelease())
        .orElseThrow(() -> PlatformException.conflict("release v" + app.currentRelease() + " of '" + appName + "' is gone"));
    long running = runtime.list(appName).stream()
        .filter(s -> s.task() && s.state() != InstanceState.COMPLETED).count();
    if (running >= dev.pier.oneoff.OneOffs.MAX_RUNNING_PER_APP) {
      throw PlatformException.conflict("'" + appName + "' already runs " + running
          + " one-off processes, the most an app may run at once");
    }
    int dot = name.lastIndexOf('.');
    InstanceSpec task = specs.oneOff(app, release, name.substring(0, dot),
        Integer.parseInt(name.substring(dot + 1)), command, null);
    runtime.start(task);
    return new Launched(appName, task.id());
  }

  @Override
  public Optional<Outcome> outcome(Launched run) {
    Optional<InstanceStatus> status = runtime.list(run.app()).stream()
        .filter(s -> s.id().equals(run.instance())).findFirst();
    if (status.isEmpty()) return Optional.of(new Outcome(null, "the instance is gone"));
    InstanceStatus s = status.get();
    if (s.state() != InstanceState.COMPLETED) return Optional.empty();
    return Optional.of(new Outcome(s.exitCode(), s.reason() == null ? null : s.reason().words()));
  }

  @Override
  public void remove(Launched run) {
    runtime.stop(run.app(), run.instance());
  }
}
