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
import java.time.Instant;
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
  private final dev.pier.statics.StaticSites sites;

  /** A publisher for apps that all run instances (no static releases). */
  public RoutePublisher(
      AppService apps, RuntimeBackend runtime, VersionStore versions, ProcessManager processes,
      Consumer<RouteTable> router) {
    this(apps, runtime, versions, processes, router, null);
  }

  /**
   * A publisher whose static releases ({@code sites}) are served by the router from their files:
   * their versions route to a {@link dev.pier.model.StaticSite} instead of instances.
   */
  public RoutePublisher(
      AppService apps, RuntimeBackend runtime, VersionStore versions, ProcessManager processes,
      Consumer<RouteTable> router, dev.pier.statics.StaticSites sites) {
    this.apps = apps;
    this.runtime = runtime;
    this.versions = versions;
    this.processes = processes;
    this.router = router;
    this.sites = sites;
  }

  /** The version as the router sees it: a static site's files, or its ready instances. */
  private VersionRoute version(App app, int version, int percent, List<Backend> ready, boolean hold) {
    dev.pier.model.StaticSite site = sites == null ? null : sites.site(app.name(), version);
    return site != null
        ? VersionRoute.serving(version, percent, site)
        : new VersionRoute(version, percent, ready, hold)
            .withHandlers(sites == null ? null : sites.handlers(app.name(), version)); // app.yaml handlers
  }

  /** #10: the apps in maintenance mode and their pages; none when not set. */
  private volatile dev.pier.maintenance.MaintenancePages maintenance;

  /** Puts the maintenance answer of apps in maintenance mode on all their routes. */
  public void maintenance(dev.pier.maintenance.MaintenancePages pages) {
    this.maintenance = pages;
  }

  /** #12: every app's own router limits, by app name; none when not set. */
  private volatile java.util.function.Supplier<Map<String, dev.pier.model.RouteLimits>> limits;

  /** Puts each app's own router limits (timeouts, largest body) on all its routes. */
  public void limits(java.util.function.Supplier<Map<String, dev.pier.model.RouteLimits>> source) {
    this.limits = source;
  }

  private final java.time.InstantSource clock = java.time.InstantSource.system();

  /** #12 HTTPS features (https-only, HSTS) of every app with any on, by app name. */
  private volatile java.util.function.Supplier<Map<String, dev.pier.model.RouteHttps>> https = Map::of;
  /** The port clients reach the router's HTTPS listener on; 0 for none (no redirects). */
  private volatile int httpsPort;

  /** Puts each app's HTTPS features on all its routes; redirects go to {@code httpsPort}. */
  public void https(java.util.function.Supplier<Map<String, dev.pier.model.RouteHttps>> source, int httpsPort) {
    this.https = java.util.Objects.requireNonNull(source, "https");
    this.httpsPort = httpsPort;
  }

  /** #12 custom domains: every app's own host names (exact or {@code *.parent}), by app name. */
  private volatile java.util.function.Supplier<Map<String, List<String>>> domains = Map::of;

  /** Routes each app's custom domains to the same route as its {@code APP.DOMAIN}. */
  public void domains(java.util.function.Supplier<Map<String, List<String>>> source) {
    this.domains = java.util.Objects.requireNonNull(source, "domains");
  }

  /** #10 branch previews: their versions answer only at their own hosts. */
  private volatile PreviewRoutes previews = PreviewRoutes.NONE;

  public void previews(PreviewRoutes previews) {
    this.previews = java.util.Objects.requireNonNull(previews, "previews");
  }

  /** A crashed instance due back later than this is not waited for (the router holds 30 s). */
  static final java.time.Duration HOLD_WORTHWHILE = java.time.Duration.ofSeconds(25);

  public synchronized void publish() {
    Map<String, Route> byHost = new HashMap<>();
    Map<String, Route> byWildcard = new HashMap<>();
    Map<String, List<String>> customDomains = domains.get();
    List<App> all = apps.list();
    dev.pier.maintenance.MaintenancePages pages = maintenance;
    Map<String, dev.pier.model.Maintenance> down = pages == null ? Map.of() : pages.of(all);
    var limitSource = limits;
    Map<String, dev.pier.model.RouteLimits> ownLimits = limitSource == null ? Map.of() : limitSource.get();
    Map<String, dev.pier.model.RouteHttps> ownHttps = https.get();
    for (App app : all) {
      String name = app.name().value();
      dev.pier.model.Maintenance offline = down.get(name);
      Map<Integer, List<Backend>> ready = new TreeMap<>();
      Map<Integer, Boolean> crashLooping = new HashMap<>();
      Instant now = clock.instant();
      for (InstanceStatus s : runtime.list(name)) {
        if (!s.type().equals("web")) continue;
        if (s.state() == InstanceState.UP && !processes.isDraining(name, s.id())) {
          ready.computeIfAbsent(s.release(), v -> new ArrayList<>()).add(new Backend(s.name(), s.host(), s.port()));
        }
        // Down until after the router would have given up holding: fail fast instead.
        boolean longDown = s.state() == InstanceState.CRASHED && s.restartAt() != null
            && s.restartAt().isAfter(now.plus(HOLD_WORTHWHILE));
        crashLooping.merge(s.release(), longDown, Boolean::logicalAnd);
      }
      Traffic traffic = versions.traffic(app.name());
      // A version whose web instances should run (or may scale from zero) holds requests while
      // it has none ready: they are starting, restarting or asleep. One scaled to web=0 fails fast.
      DesiredApp desired = processes.reconciler().desired(name);
      boolean webAutoscales = processes.autoscales(app.name(), "web");
      Set<Integer> shown = new TreeSet<>(traffic.allocations().keySet());
      shown.addAll(ready.keySet());
      PreviewRoutes.Of preview = previews.of(app.name());
      shown.removeAll(preview.versions());
      List<VersionRoute> routes = new ArrayList<>();
      for (int version : shown) {
        boolean hold = holds(webAutoscales, desired, version, crashLooping);
        routes.add(version(app, version, traffic.percent(version), ready.getOrDefault(version, List.of()), hold));
      }
      dev.pier.model.RouteLimits appLimits = ownLimits.get(name);
      dev.pier.model.RouteHttps appHttps = ownHttps.get(name);
      Route main = new Route(name, traffic.splitBy(), routes, offline, appLimits, appHttps);
      byHost.put(apps.host(app.name()), main);
      for (String domain : customDomains.getOrDefault(name, List.of())) {
        if (domain.startsWith("*.")) byWildcard.put(domain.substring(2), main);
        else byHost.putIfAbsent(domain, main); // Pier's own hosts are refused as domains anyway
      }
      Set<Integer> running = new TreeSet<>(versions.running(app.name()));
      running.addAll(ready.keySet());
      running.removeAll(preview.versions());
      for (Map.Entry<Integer, String> p : preview.hosts().entrySet()) {
        int version = p.getKey();
        // A preview always holds while it has no instance: starting, or asleep until this request wakes it.
        byHost.put(p.getValue(), new Route(name, SplitBy.RANDOM,
            List.of(version(app, version, 100, ready.getOrDefault(version, List.of()),
                !crashLooping.getOrDefault(version, false))), offline, appLimits, appHttps));
      }
      for (int version : running) {
        byHost.put(apps.versionHost(app.name(), version),
            new Route(name, SplitBy.RANDOM,
                List.of(version(app, version, 100, ready.getOrDefault(version, List.of()),
                    holds(webAutoscales, desired, version, crashLooping))), offline, appLimits, appHttps));
      }
      if (sites != null) {
        Set<Integer> served = new TreeSet<>(shown);
        served.addAll(running);
        served.addAll(preview.hosts().keySet());
        sites.retain(app.name(), served);
      }
    }
    if (sites != null) sites.retainApps(apps.list().stream().map(a -> a.name().value()).toList());
    router.accept(new RouteTable(byHost, byWildcard, httpsPort));
  }

  /**
   * Whether requests wait for {@code version} while it has no ready instance: yes when its web
   * instances should run or it autoscales (starting, restarting, asleep), unless every one of
   * them crashed and waits out a backoff longer than a request would be held.
   */
  private static boolean holds(boolean webAutoscales, DesiredApp desired, int version,
      Map<Integer, Boolean> crashLooping) {
    if (crashLooping.getOrDefault(version, false)) return false;
    return webAutoscales || desired.count(version, "web") > 0;
  }
}
