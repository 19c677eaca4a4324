package dev.pier.server;

import dev.pier.app.App;
import dev.pier.app.AppStore;
import dev.pier.autoscale.Autoscaler;
import dev.pier.control.Reconciler;
import dev.pier.deploy.FormationStore;
import dev.pier.deploy.StoredDesiredState;
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
import java.util.Set;
import java.util.TreeMap;

/** What the autoscaler reads, from the store, the reconciler, the runtime and the router. */
final class AutoscaleSources implements Autoscaler.Sources {
  private final AppStore apps;
  private final FormationStore formations;
  private final Reconciler reconciler;
  private final StoredDesiredState desiredState;
  private final RuntimeBackend runtime;
  private final RouterServer router;
  private final LogBus logs;

  AutoscaleSources(AppStore apps, FormationStore formations, Reconciler reconciler,
      StoredDesiredState desiredState, RuntimeBackend runtime, RouterServer router, LogBus logs) {
    this.apps = apps;
    this.formations = formations;
    this.reconciler = reconciler;
    this.desiredState = desiredState;
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
    Map<Integer, Map<String, Integer>> counts = reconciler.desired(app).counts();
    // #10 branch previews run one web instance (none asleep) of their own: never autoscaled.
    Set<Integer> previews = desiredState.ownVersions(new AppName(app));
    if (previews.isEmpty()) return counts;
    Map<Integer, Map<String, Integer>> rest = new TreeMap<>(counts);
    rest.keySet().removeAll(previews);
    return rest;
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
