package dev.pier.routing;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.control.DesiredApp;
import dev.pier.deploy.ProcessManager;
import dev.pier.model.Backend;
import dev.pier.model.InstanceState;
import dev.pier.model.Route;
import dev.pier.model.RouteTable;
import dev.pier.model.SplitBy;
import dev.pier.model.VersionRoute;
import dev.pier.runtime.InstanceStatus;
import dev.pier.runtime.RuntimeBackend;
import dev.pier.versions.Traffic;
import dev.pier.versions.VersionStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Builds the router's table from the traffic splits and what runs: {@code APP.DOMAIN} splits over
 * the versions with a share, {@code vN.APP.DOMAIN} reaches version N alone. Backends are web
 * instances that are up and not draining. A version holds requests while it has no backend if
 * its web instances should run or autoscale (starting, restarting, asleep at zero). Called after every instance state change, traffic
 * change and app creation or removal; each call publishes a whole new snapshot.
 */
public final class RoutePublisher {
  private final AppService apps;
  private final RuntimeBackend runtime;
  private final VersionStore versions;
  private final ProcessManager processes;
  private final Consumer<RouteTable> router;

  public RoutePublisher(
      AppService apps, RuntimeBackend runtime, VersionStore versions, ProcessManager processes,
      Consumer<RouteTable> router) {
    this.apps = apps;
    this.runtime = runtime;
    this.versions = versions;
    this.processes = processes;
    this.router = router;
  }

  public synchronized void publish() {
    Map<String, Route> byHost = new HashMap<>();
    for (App app : apps.list()) {
      String name = app.name().value();
      Map<Integer, List<Backend>> ready = new TreeMap<>();
      for (InstanceStatus s : runtime.list(name)) {
        if (s.type().equals("web") && s.state() == InstanceState.UP && !processes.isDraining(name, s.id())) {
          ready.computeIfAbsent(s.release(), v -> new ArrayList<>()).add(new Backend(s.name(), s.host(), s.port()));
        }
      }
      Traffic traffic = versions.traffic(app.name());
      // A version whose web instances should run (or may scale from zero) holds requests while
      // it has none ready: they are starting, restarting or asleep. One scaled to web=0 fails fast.
      DesiredApp desired = processes.reconciler().desired(name);
      boolean webAutoscales = processes.autoscales(app.name(), "web");
      Set<Integer> shown = new TreeSet<>(traffic.allocations().keySet());
      shown.addAll(ready.keySet());
      List<VersionRoute> routes = new ArrayList<>();
      for (int version : shown) {
        boolean hold = webAutoscales || desired.count(version, "web") > 0;
        routes.add(new VersionRoute(version, traffic.percent(version), ready.getOrDefault(version, List.of()), hold));
      }
      byHost.put(apps.host(app.name()), new Route(name, traffic.splitBy(), routes));
      Set<Integer> running = new TreeSet<>(versions.running(app.name()));
      running.addAll(ready.keySet());
      for (int version : running) {
        byHost.put(apps.versionHost(app.name(), version),
            new Route(name, SplitBy.RANDOM,
                List.of(new VersionRoute(version, 100, ready.getOrDefault(version, List.of()),
                    webAutoscales || desired.count(version, "web") > 0))));
      }
    }
    router.accept(new RouteTable(byHost));
  }
}
