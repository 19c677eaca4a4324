package dev.pier.routing;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.model.Backend;
import dev.pier.model.InstanceState;
import dev.pier.model.Route;
import dev.pier.model.RouteTable;
import dev.pier.runtime.InstanceStatus;
import dev.pier.runtime.RuntimeBackend;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds the router's table from what runs: every app gets a route at {@code APP.DOMAIN} whose
 * backends are its web instances that are up. Called after every instance state change and app
 * creation or removal; each call publishes a whole new snapshot.
 */
public final class RoutePublisher {
  private final AppService apps;
  private final RuntimeBackend runtime;
  private final Consumer<RouteTable> router;

  public RoutePublisher(AppService apps, RuntimeBackend runtime, Consumer<RouteTable> router) {
    this.apps = apps;
    this.runtime = runtime;
    this.router = router;
  }

  public synchronized void publish() {
    Map<String, Route> byHost = new HashMap<>();
    for (App app : apps.list()) {
      List<Backend> backends = new ArrayList<>();
      for (InstanceStatus s : runtime.list(app.name().value())) {
        if (s.type().equals("web") && s.state() == InstanceState.UP) {
          backends.add(new Backend(s.name(), "127.0.0.1", s.port()));
        }
      }
      byHost.put(apps.host(app.name()), new Route(app.name().value(), backends));
    }
    router.accept(new RouteTable(byHost));
  }
}
