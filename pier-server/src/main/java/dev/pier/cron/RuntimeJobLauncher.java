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
 * Runs a job as a {@link RunMode#TASK} instance through the runtime: the spec of the release's
 * first process type ({@link InstanceSpecs}, so slug, env, uid, memory, CPU and disk limits are
 * those of the app's other instances) with the job's command and name. The control loop leaves
 * task instances alone.
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
    String type = release.processes().keySet().stream().findFirst()
        .orElseThrow(() -> PlatformException.conflict("release " + release.name() + " has no process types to take a spec from"));
    InstanceSpec base = specs.spec(appName, new Slot(release.version(), type, 1), 0)
        .orElseThrow(() -> PlatformException.conflict("release " + release.name() + " of '" + appName + "' cannot run (its slug is missing)"));
    int dot = name.lastIndexOf('.');
    InstanceSpec task = new InstanceSpec(base.app(), ProcessType.of(name.substring(0, dot)),
        Integer.parseInt(name.substring(dot + 1)), base.release(), base.slug(), command, base.env(), base.user(),
        base.memoryLimitBytes(), base.stopGrace(), 0, null, base.disk(), base.cpus(), RunMode.SERVICE, null,
        base.slugSource()).withTask();
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
