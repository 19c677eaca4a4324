package dev.pier.server;

import dev.pier.app.App;
import dev.pier.app.AppStore;
import dev.pier.autoscale.Autoscaler;
import dev.pier.control.Reconciler;
import dev.pier.deploy.FormationStore;
import dev.pier.logs.LogBus;
import dev.pier.model.AppName;
import dev.pier.router.RouterLoad;
import dev.pier.router.RouterServer;
import dev.pier.runtime.InstanceStatus;
import dev.pier.runtime.ResourceUsage;
import dev.pier.runtime.RuntimeBackend;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the autoscaler reads, from the store, the reconciler, the runtime and the router. */
final class AutoscaleSources implements Autoscaler.Sources {
  private final AppStore apps;
  private final FormationStore formations;
  private final Reconciler reconciler;
  private final RuntimeBackend runtime;
  private final RouterServer router;
  private final LogBus logs;

  AutoscaleSources(AppStore apps, FormationStore formations, Reconciler reconciler,
      RuntimeBackend runtime, RouterServer router, LogBus logs) {
    this.apps = apps;
    this.formations = formations;
    this.reconciler = reconciler;
    this.runtime = runtime;
    this.router = router;
    this.logs = logs;
  }

  @Override
  public List<String> apps() {
    return apps.all().stream().map(App::name).map(AppName::value).toList();
  }

  @Override
  public Map<String, String> specs(String app) {
    return formations.autoscale(new AppName(app));
  }

  @Override
  public Map<Integer, Map<String, Integer>> desired(String app) {
    return reconciler.desired(app).counts();
  }

  @Override
  public List<InstanceStatus> instances(String app) {
    return runtime.list(app);
  }

  @Override
  public Optional<ResourceUsage> usage(InstanceStatus instance) {
    return runtime.usage(instance.app(), instance.id());
  }

  @Override
  public RouterLoad load() {
    return router.load();
  }

  @Override
  public void log(String app, String message) {
    logs.platform(app, "autoscaler", message);
  }
}
