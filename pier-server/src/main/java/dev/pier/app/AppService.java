package dev.pier.app;

import dev.pier.deploy.ProcessManager;
import dev.pier.logs.LogBus;
import dev.pier.model.AppName;
import dev.pier.routing.RoutePublisher;
import dev.pier.errors.PlatformException;
import dev.pier.store.DataDirs;
import java.time.InstantSource;
import java.util.List;
import java.util.random.RandomGenerator;

/** Creating, finding and destroying apps, and the URLs they are reached at. */
public final class AppService {
  private final AppStore store;
  private final DataDirs dirs;
  private final dev.pier.store.Repositories repos;
  private dev.pier.store.DiskSpace disk = dev.pier.store.DiskSpace.UNCHECKED;
  private final LogBus logs;
  private final InstantSource clock;
  private final Urls urls;
  private final NameGenerator names = new NameGenerator(RandomGenerator.getDefault());
  private ProcessManager processes;
  private RoutePublisher routes;
  private final List<java.util.function.Consumer<AppName>> onDestroy = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<java.util.function.Consumer<App>> onDestroyApp = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Where users reach apps and the API. */
  public record Urls(String domain, int routerPort, String apiBase) {}

  public AppService(AppStore store, DataDirs dirs, LogBus logs, InstantSource clock, Urls urls) {
    this.store = store;
    this.dirs = dirs;
    this.repos = new dev.pier.store.Repositories(dirs);
    this.logs = logs;
    this.clock = clock;
    this.urls = urls;
  }

  /** Completes wiring (these depend on the app list themselves). */
  public void wire(ProcessManager processes, RoutePublisher routes) {
    this.processes = processes;
    this.routes = routes;
  }

  /** Registers cleanup for an app's data kept elsewhere (log store, metrics, drains). */
  public void onDestroy(java.util.function.Consumer<AppName> cleanup) {
    onDestroy.add(cleanup);
  }

  /** Like {@link #onDestroy}, given the app as it was (its uid, for what is kept by uid). */
  public void onDestroyApp(java.util.function.Consumer<App> cleanup) {
    onDestroyApp.add(cleanup);
  }

  /** Refuses changes (507) while the data disk is below its reserve. */
  public void guardDisk(dev.pier.store.DiskSpace disk) {
    this.disk = disk;
  }

  /** Creates an app; without a name, a generated one. */
  public App create(String requestedName, String user) {
    disk.require("create an app");
    App app;
    if (requestedName == null || requestedName.isBlank()) {
      app = null;
      for (int attempt = 0; attempt < 20 && app == null; attempt++) {
        app = store.insert(new AppName(names.next()), clock.instant()).orElse(null);
      }
      if (app == null) throw PlatformException.conflict("could not generate a free app name");
    } else {
      AppName name = parse(requestedName);
      app = store.insert(name, clock.instant())
          .orElseThrow(() -> PlatformException.conflict("app name '" + name + "' is already taken"));
    }
    try {
      java.nio.file.Path leftover = repos.create(app.name());
      if (leftover != null) {
        org.slf4j.LoggerFactory.getLogger(AppService.class).warn(
            "{}: a repository left by an earlier app of that name was moved to {}", app.name(), leftover);
      }
    } catch (java.io.IOException e) {
      store.delete(app.name());
      throw new IllegalStateException(e.getMessage(), e);
    }
    logs.platform(app.name().value(), "api", "App created by " + user);
    routes.publish();
    return app;
  }

  public App get(AppName name) {
    return store.find(name).orElseThrow(() -> PlatformException.notFound("app '" + name + "' not found"));
  }

  /** Looks up an app by a name from the wire (validated first). */
  public App get(String name) {
    return get(parse(name));
  }

  public List<App> list() {
    return store.all();
  }

  /** Stops the app's instances and deletes everything it owns. */
  public void destroy(AppName name) {
    App app = get(name);
    try {
      processes.stopAll(app.name().value());
      store.delete(app.name());
    } finally {
      processes.stoppedAll(app.name().value()); // from now on its (empty) desired state decides
    }
    routes.publish();
    DataDirs.deleteTree(dirs.repo(name));
    DataDirs.deleteTree(dirs.slugs(name));
    DataDirs.deleteTree(dirs.cache(name));
    DataDirs.deleteTree(dirs.builds(name));
    DataDirs.deleteTree(dirs.run().resolve(name.value()));
    logs.forget(name.value());
    for (var cleanup : onDestroy) cleanup.accept(name);
    for (var cleanup : onDestroyApp) cleanup.accept(app);
  }

  /**
   * Sets (or with null clears) the app's readiness check path; instances started from now on
   * get traffic only once GET PATH answers 2xx.
   */
  public App setReadinessPath(AppName name, String path, String user) {
    get(name);
    if (path != null && (path.length() > 500 || !path.startsWith("/")
        || path.chars().anyMatch(ch -> ch <= ' ' || ch > '~'))) {
      throw PlatformException.invalid("readiness path must be a URL path starting with '/', e.g. /ready");
    }
    store.setReadinessPath(name, path);
    logs.platform(name.value(), "api", (path == null ? "Readiness check path removed" : "Readiness check path set to " + path) + " by " + user);
    return get(name);
  }

  /** Bounds of an app's boot timeout, in seconds. */
  public static final int MIN_BOOT_SECONDS = 1;

  public static final int MAX_BOOT_SECONDS = 900;

  /**
   * Sets (or with null clears: the operator's default applies) how long the app's web instances
   * may take to boot; instances started from now on use it.
   */
  public void setBootTimeout(AppName name, Integer seconds, String user) {
    get(name);
    if (seconds != null && (seconds < MIN_BOOT_SECONDS || seconds > MAX_BOOT_SECONDS)) {
      throw PlatformException.invalid("boot_timeout_seconds must be from " + MIN_BOOT_SECONDS + " to "
          + MAX_BOOT_SECONDS + ", got " + seconds);
    }
    store.setBootTimeoutSeconds(name, seconds);
    logs.platform(name.value(), "api", (seconds == null ? "Boot timeout reset to the default" : "Boot timeout set to " + seconds + " s") + " by " + user);
  }

  /** Whether the app is in maintenance mode. */
  public boolean maintenance(AppName name) {
    get(name);
    return store.maintenance(name);
  }

  /**
   * Turns maintenance mode on or off (#10): while on, the router answers every request for the app
   * with 503 and its maintenance page. Published to the router at once; logged when it changes.
   */
  public void setMaintenance(AppName name, boolean on, String user) {
    get(name);
    if (store.maintenance(name) == on) return;
    store.setMaintenance(name, on);
    logs.platform(name.value(), "api", "Maintenance mode " + (on ? "enabled" : "disabled") + " by " + user);
    if (routes != null) routes.publish();
  }

  /** The app's own boot timeout, when it set one. */
  public java.util.Optional<Integer> bootTimeoutSeconds(AppName name) {
    return store.bootTimeoutSeconds(name);
  }

  public String webUrl(AppName name) {
    return "http://" + name + "." + urls.domain() + (urls.routerPort() == 80 ? "" : ":" + urls.routerPort()) + "/";
  }

  /** Where one version answers: {@code http://vN.APP.DOMAIN:PORT/}. */
  public String versionUrl(AppName name, int version) {
    return "http://v" + version + "." + name + "." + urls.domain()
        + (urls.routerPort() == 80 ? "" : ":" + urls.routerPort()) + "/";
  }

  public String versionHost(AppName name, int version) {
    return "v" + version + "." + host(name);
  }

  public String gitUrl(AppName name) {
    return urls.apiBase() + "/git/" + name + ".git";
  }

  public String host(AppName name) {
    return name + "." + urls.domain();
  }

  static AppName parse(String name) {
    try {
      return new AppName(name);
    } catch (IllegalArgumentException e) {
      throw PlatformException.invalid(e.getMessage());
    }
  }
}
