package dev.pier.server;

import dev.pier.api.Api;
import dev.pier.api.ApiServlet;
import dev.pier.api.JettyErrors;
import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.app.AppStore;
import dev.pier.auth.Authenticator;
import dev.pier.build.Builder;
import dev.pier.config.ConfigService;
import dev.pier.config.ConfigStore;
import dev.pier.console.ConsoleServlet;
import dev.pier.console.ConsoleSessions;
import dev.pier.deploy.BuildStore;
import dev.pier.deploy.DeployService;
import dev.pier.deploy.FormationStore;
import dev.pier.deploy.InstanceEvents;
import dev.pier.deploy.InstanceSpecs;
import dev.pier.deploy.Autoscaling;
import dev.pier.deploy.StoredDesiredState;
import dev.pier.control.Reconciler;
import dev.pier.deploy.ProcessManager;
import dev.pier.deploy.Rollout;
import dev.pier.store.Leases;
import dev.pier.deploy.Scaler;
import dev.pier.versions.VersionService;
import dev.pier.versions.VersionStore;
import dev.pier.git.GitReceiver;
import dev.pier.drains.DrainDestinations;
import dev.pier.drains.DrainOptions;
import dev.pier.logs.DrainService;
import dev.pier.logs.DrainStore;
import dev.pier.logs.LogBus;
import dev.pier.logstore.LogStore;
import dev.pier.metrics.Metrics;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import dev.pier.release.ReleaseService;
import dev.pier.release.ReleaseStore;
import dev.pier.router.AccessLog;
import dev.pier.router.RouterConfig;
import dev.pier.router.LoadBalancer;
import dev.pier.router.Waker;
import dev.pier.autoscale.Autoscaler;
import dev.pier.router.RouterServer;
import dev.pier.api.DoctorRoutes;
import dev.pier.doctor.Doctor;
import dev.pier.store.DiskSpace;
import dev.pier.doctor.Finding;
import dev.pier.routing.RoutePublisher;
import dev.pier.runtime.RuntimeBackend;
import dev.pier.sandbox.Cgroups;
import dev.pier.sandbox.Disks;
import dev.pier.runtime.local.LocalRuntimeBackend;
import dev.pier.runtime.local.PortAllocator;
import dev.pier.runtime.local.RestartPolicy;
import dev.pier.sandbox.NetworkGuard;
import dev.pier.sandbox.NftNetworkGuard;
import dev.pier.sandbox.PortRange;
import dev.pier.sandbox.Sandbox;
import dev.pier.store.DataDirs;
import dev.pier.store.Database;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole platform in one process, wired by hand in pipeline order:
 *
 * <pre>
 *   store -> logs -> router -> runtime -> apps/releases/config -> build+deploy -> git + API
 * </pre>
 *
 * On start it brings back the instances of every app's formation; {@link #close} stops them
 * (SIGTERM, then SIGKILL after the grace period), then the listeners and the store.
 */
public final class PlatformServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PlatformServer.class);

  private final Settings settings;
  private final Authenticator.Loaded auth;
  private final Database db;
  private final RouterServer router;
  private final RuntimeBackend runtime;
  private final Server jetty;
  private final int apiPort;
  private final List<AutoCloseable> observers;
  private final Housekeeping housekeeping;

  /** The loops that act on instances: closed before the runtime stops them all. */
  private final List<AutoCloseable> controllers;

  private PlatformServer(
      Settings settings, Authenticator.Loaded auth, Database db, RouterServer router,
      RuntimeBackend runtime, List<AutoCloseable> controllers, Server jetty, int apiPort, Housekeeping housekeeping,
      List<AutoCloseable> observers) {
    this.controllers = controllers;
    this.observers = observers;
    this.housekeeping = housekeeping;
    this.settings = settings;
    this.auth = auth;
    this.db = db;
    this.router = router;
    this.runtime = runtime;
    this.jetty = jetty;
    this.apiPort = apiPort;
  }

  public static PlatformServer start(Settings settings) throws Exception {
    return start(settings, dev.pier.datastores.DatastoreCatalog::standard);
  }

  /** Starts a server whose add-ons are run by {@code addonKinds} (tests pass fakes). */
  public static PlatformServer start(Settings settings, dev.pier.addons.AddonWiring.Kinds addonKinds) throws Exception {
    InstantSource clock = InstantSource.system();
    DataDirs dirs = new DataDirs(settings.dataDir());
    dirs.create(Sandbox.runningAsRoot());
    Database db = Database.open(dirs.db());
    Authenticator.Loaded auth = Authenticator.load(dirs.adminToken(), settings.adminToken());
    LogBus logs = new LogBus(1500, clock);
    LogStore logStore = LogStore.open(dirs.logs(), clock, new LogStoreReports(logs));
    logs.addSink(logStore::append);
    Metrics metrics = new Metrics(dirs.metrics(), clock);

    // #10 branch previews: the router's requests tell which previews are idle.
    dev.pier.previews.PreviewActivity previewActivity = new dev.pier.previews.PreviewActivity(clock);
    AccessLog accessLog = previewActivity.tee(new RouterAccessLog(metrics, logs, settings.requestMetrics()));
    RouterConfig defaults = RouterConfig.defaults(settings.routerPort());
    // A request held for a version at zero wakes it through the autoscaler (wired below).
    AtomicReference<Autoscaler> autoscalerRef = new AtomicReference<>();
    AtomicReference<dev.pier.previews.IdlePreviews> previewsRef = new AtomicReference<>();
    Waker waker = (app, version) -> {
      dev.pier.previews.IdlePreviews p = previewsRef.get();
      if (p != null) p.wake(app, version); // an asleep branch preview starts again
      Autoscaler a = autoscalerRef.get();
      if (a != null) a.wake(app, version);
    };
    RouterServer router =
        new RouterServer(
            new RouterConfig(settings.bindHost(), settings.routerPort(), defaults.connectTimeout(),
                defaults.responseTimeout(), defaults.idleTimeout())
                .withBackendPool(defaults.backendIdleTimeout(), settings.routerBackendPool() ? defaults.maxIdlePerBackend() : 0)
                .withClientLimits(settings.routerClientLimits()),
            accessLog, LoadBalancer.named(System.getProperty("pier.router.balancer", System.getenv("PIER_ROUTER_BALANCER"))), waker);
    router.start();
    // #12 HTTPS: certificates from Pier's own CA (DATA/tls/ca), chosen by SNI name.
    PierTls tls = PierTls.start(router, settings);

    QueuedThreadPool threads = new QueuedThreadPool(200);
    threads.setName("pier-api");
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server jetty = new Server(threads);
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost(settings.bindHost());
    connector.setPort(settings.apiPort());
    connector.setIdleTimeout(ApiConnectionGuard.IDLE_TIMEOUT.toMillis());
    connector.addEventListener(new ApiConnectionGuard(connector.getScheduler()));
    jetty.addBean(new NetworkConnectionLimit(ApiConnectionGuard.MAX_CONNECTIONS, connector));
    jetty.addConnector(connector);
    connector.open();
    int apiPort = connector.getLocalPort();

    AtomicReference<RoutePublisher> routesRef = new AtomicReference<>();
    AtomicReference<Reconciler> reconcilerRef = new AtomicReference<>();
    InstanceEvents events = new InstanceEvents(logs, () -> {
      RoutePublisher p = routesRef.get();
      return p == null ? null : p::publish;
    }, app -> {
      Reconciler r = reconcilerRef.get();
      if (r != null) r.signal(app);
    });
    Sandbox sandbox = Sandbox.system();
    PortAllocator ports = PortAllocator.defaultRange();
    NetworkGuard network = networkGuard(settings, dirs, ports.range(), List.of(PortRange.of(apiPort)));
    // Instances and builds share this server's cgroup folder: the runtime reaps what a killed
    // server left in it at start, and removes it at a clean stop.
    Cgroups cgroups = Cgroups.detect(cgroupBase(dirs));
    Disks disks = Disks.detect();
    RuntimeBackend runtime =
        new LocalRuntimeBackend(dirs.run(), sandbox, events, clock,
            new LocalRuntimeBackend.Options(cgroups, ports,
                RestartPolicy.DEFAULT, settings.bootTimeout(), network, disks));
    // Build disks a killed server left mounted (its processes are gone now: the runtime reaped
    // the cgroups), before the start-up check cleans the build folders.
    disks.reapLeftovers(dirs.root());

    AppService apps =
        new AppService(new AppStore(db), dirs, logs, clock,
            new AppService.Urls(settings.domain(), router.port(), "http://localhost:" + apiPort));
    boolean root = Sandbox.runningAsRoot();
    if (!root) LOG.warn("not running as root: app code runs as this user, without per-app uids or cgroup limits");
    ProcessManager.Limits limits = new ProcessManager.Limits(settings.memoryLimitBytes(), settings.stopGrace(), root,
        settings.bootTimeout(), settings.drainTimeout(), settings.diskQuota()).withNodeRuntimes(dev.pier.runtimes.NodeRuntimes.of(settings.dataDir(), settings.nodeRegistry()));
    VersionStore versionStore = new VersionStore(db);
    ReleaseStore releaseStore = new ReleaseStore(db);
    FormationStore formations = new FormationStore(db);
    AtomicReference<Runnable> publishRef = new AtomicReference<>(() -> {});
    StoredDesiredState desiredState = new StoredDesiredState(new AppStore(db), releaseStore, versionStore, formations);
    Reconciler reconciler = new Reconciler(runtime, desiredState,
        new InstanceSpecs(new AppStore(db), releaseStore, formations, limits),
        s -> s.port() > 0 ? router.inFlight(s.host(), s.port()) : 0,
        logs::platform, () -> publishRef.get().run(), clock,
        Reconciler.Options.defaults(settings.drainTimeout()));
    reconcilerRef.set(reconciler);
    ProcessManager processes = new ProcessManager(runtime, formations, logs, limits, reconciler);
    processes.bootTimeoutsFrom(app -> apps.bootTimeoutSeconds(app.name()).map(Duration::ofSeconds)
        .orElse(settings.bootTimeout()));
    Autoscaler autoscaler = new Autoscaler(new AutoscaleSources(new AppStore(db), formations, reconciler, desiredState, runtime,
        router, logs), reconciler, clock, Duration.ofSeconds(1));
    desiredState.scaleWith(autoscaler);
    autoscalerRef.set(autoscaler);
    // #13 static sites: the router serves static releases from files unpacked under DATA/sites.
    RoutePublisher routes = new RoutePublisher(apps, runtime, versionStore, processes, router::routes,
        new dev.pier.statics.StaticSites(dirs, releaseStore));
    routesRef.set(routes);
    // #10 maintenance mode: apps in it get their maintenance page on every route.
    routes.maintenance(new dev.pier.maintenance.MaintenancePages(new AppStore(db), releaseStore));
    publishRef.set(routes::publish);
    apps.wire(processes, routes);
    ReleaseService releases = new ReleaseService(releaseStore);
    ConfigStore configStore = new ConfigStore(db);
    // One server per embedded store: what a killed predecessor held is free at once.
    Leases leases = new Leases(db, clock, Duration.ofSeconds(30));
    leases.clearAll();
    Rollout rollout = new Rollout(processes, versionStore, releaseStore, logs, routes::publish, leases);
    ConfigService config =
        new ConfigService(configStore, apps, releases, releaseStore, rollout, versionStore, logs, clock);
    BuildStore buildStore = new BuildStore(db);
    DeployService deploys =
        new DeployService(Builder.standard(sandbox, settings.nodeRegistry() == null ? null
            : dev.pier.build.nodejs.NodeInstaller.of(settings.nodeRegistry(), dev.pier.build.nodejs.NodeInstaller.cacheDir(settings.dataDir()))).withCgroups(cgroups).withLimits(settings.buildLimits()).withDisks(disks), releaseStore, configStore, processes, rollout,
            versionStore, logs, dirs, apps, clock, buildStore, network);
    VersionService versions =
        new VersionService(apps, releaseStore, configStore, versionStore, rollout, runtime::list, logs, clock);
    Scaler scaler = new Scaler(apps, releases, processes, rollout);
    PortRange instancePorts = ports.range();
    int routerPort = router.port();
    int routerTlsPort = router.tlsPort();
    DrainService drains = new DrainService(new DrainStore(db), logs, clock, DrainOptions.defaults().withDestinations(
        DrainDestinations.of(settings.allowLocalDrains(), p -> p == apiPort || p == routerPort || p == routerTlsPort
            || (p >= instancePorts.first() && p <= instancePorts.last()))));
    logs.addSink(drains::accept);
    apps.onDestroy(name -> {
      drains.forget(name);
      logStore.deleteApp(name.value());
      metrics.deleteApp(name.value());
    });
    // A rename a kill -9 cut off: its folders follow the name the store holds, before the doctor
    // would take them for leftovers of a deleted app (#10 apps:rename).
    dev.pier.rename.AppRenamer.recoverFolders(dirs, name -> new AppStore(db).find(name).isPresent());
    // Before any instance runs: repair what a crash left half done, say what it could not.
    Doctor doctor = new Doctor(new AppStore(db), releaseStore, versionStore, configStore, buildStore,
        rollout::ifIdle, dirs, logs, clock);
    dev.pier.previews.PreviewStore previewStore = new dev.pier.previews.PreviewStore(db);
    doctor.excludePreviews(app -> previewStore.releases(app).keySet()); // #10 branch previews
    List<Finding> atStart = doctor.check(Doctor.Mode.REPAIR);
    Housekeeping housekeeping = new Housekeeping(apps, runtime, metrics, logStore, logs);
    Supplier<Map<String, Double>> gauges = () -> {
      dev.pier.router.TunnelStats.Snapshot tunnels = router.tunnels(); // #12 WebSockets
      return Map.of(
        "pier_apps", (double) apps.list().size(),
        "pier_router_in_flight_requests", (double) router.inFlight(),
        "pier_router_tunnels_open", (double) tunnels.open(),
        "pier_router_tunnels_closed", (double) tunnels.closed(),
        "pier_router_tunnel_bytes_from_clients", (double) tunnels.bytesFromClients(),
        "pier_router_tunnel_bytes_to_clients", (double) tunnels.bytesToClients(),
        "pier_router_tunnel_seconds", tunnels.totalMillis() / 1000.0);
    };

    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    DiskSpace disk = new DiskSpace(dirs.root(), settings.diskReserveBytes());
    apps.guardDisk(disk);
    deploys.guardDisk(disk);
    GitReceiver git = new GitReceiver(apps, deploys, dirs, auth.authenticator(), settings.maxUploadBytes(), disk);
    context.addFilter(new FilterHolder(git.authFilter()), "/git/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder("git", git.servlet()), "/git/*");
    ApiServlet api =
        Api.servlet(new Api.Services(auth.authenticator(), apps, releases, config, processes, scaler,
            new Autoscaling(apps, releases, formations, versionStore, processes, rollout, autoscaler, logs),
            deploys, versions, logs, logStore, drains, metrics, buildStore, gauges, clock, settings.domain(),
            router.port(), settings.maxUploadBytes()));
    new DoctorRoutes(doctor, atStart).register(api);
    // --- #10 branch previews: pushes of other branches run at BRANCH.APP.DOMAIN ---
    dev.pier.previews.IdlePreviews idlePreviews =
        new dev.pier.previews.IdlePreviews(previewStore, previewActivity, reconciler::signal, logs, clock);
    dev.pier.previews.PreviewService previews = new dev.pier.previews.PreviewService(apps, deploys, configStore,
        releaseStore, versionStore, rollout, previewStore, idlePreviews, routes::publish, runtime::list, logs, clock);
    desiredState.ownWebCounts(previews::webCounts);
    routes.previews(previews.routes());
    versions.excludePreviews(app -> previewStore.releases(app).keySet());
    git.previews(previews);
    previewsRef.set(idlePreviews);
    new dev.pier.api.PreviewRoutes(apps, previews).register(api);
    idlePreviews.start(Duration.ofSeconds(5));
    // --- end branch previews ---
    // --- One-off processes (pier run, run:detached, ps:stop): attach is a WebSocket ---
    InstanceSpecs oneOffSpecs = new InstanceSpecs(new AppStore(db), releaseStore, formations, limits);
    dev.pier.oneoff.OneOffs oneOffs = new dev.pier.oneoff.OneOffs(runtime, (appName, request, index) -> {
      dev.pier.app.App target = apps.get(appName);
      return oneOffSpecs.oneOff(target, releases.current(target), request.type(), index,
          request.command(), request.size());
    }, logs::platform, clock).start();
    new dev.pier.api.OneOffRoutes(apps, oneOffs).register(api);
    org.eclipse.jetty.ee10.websocket.server.config.JettyWebSocketServletContainerInitializer.configure(context, null);
    // --- end one-off processes ---
    // #13 scheduled jobs: command jobs run as task instances, cron.yaml URL jobs go through the
    // router with its per-boot cron key.
    dev.pier.cron.Cron cron = dev.pier.cron.Cron.create(db,
        new dev.pier.cron.RuntimeJobLauncher(new AppStore(db), releaseStore,
            new InstanceSpecs(new AppStore(db), releaseStore, formations, limits), runtime),
        new dev.pier.cron.RouterUrlCaller(router.port(), router.cronKey(), (app, version) -> version == null
            ? apps.host(new dev.pier.model.AppName(app)) : apps.versionHost(new dev.pier.model.AppName(app), version),
            Duration.ofMinutes(10)),
        logs, clock, dev.pier.cron.CronSettings.from(System.getenv()));
    deploys.sourceHook(new dev.pier.cron.CronYamlHook(cron.service(), logs));
    deploys.releasePhase(new dev.pier.deploy.TaskReleasePhase(oneOffSpecs, runtime, logs, Duration.ofHours(1)));
    new dev.pier.api.CronRoutes(apps, cron.service()).register(api);
    // #10 pipelines: promotion copies a stage's slug to the next stage's apps, no build.
    dev.pier.pipelines.PipelineService pipelines = new dev.pier.pipelines.PipelineService(
        new dev.pier.pipelines.PipelineStore(db), apps, logs, clock);
    new dev.pier.api.PipelineRoutes(apps, pipelines,
        new dev.pier.pipelines.Promoter(apps, pipelines, releaseStore, configStore, processes, rollout, versionStore,
            logs, dirs, clock, deploys::releasePhase),
        new dev.pier.pipelines.PipelineDiff(apps, pipelines, releaseStore, new dev.pier.store.Repositories(dirs)))
        .register(api);
    // #10 apps:rename: rows in one transaction, then folders, instances, logs, metrics, drains.
    dev.pier.rename.AppRenamer renamer = new dev.pier.rename.AppRenamer(apps,
        new dev.pier.rename.AppRenameStore(db), rollout, processes, routes, dirs, logs);
    renamer.onRename(drains::renamed);
    renamer.onRename((from, to) -> metrics.renameApp(from.value(), to.value()));
    renamer.onRename((from, to) -> dev.pier.rename.LogHistory.move(logStore, from, to));
    renamer.recover(); // a rename a kill -9 cut off: folders follow the name the store holds
    new dev.pier.api.AppRenameRoutes(apps, renamer).register(api);
    dev.pier.api.AppInfoRoutes appInfo =
        new dev.pier.api.AppInfoRoutes(apps, releaseStore, processes, buildStore, pipelines);
    appInfo.register(api);
    // #12 per-app router limits: stored per app, published on each app's routes.
    dev.pier.routersettings.RouterSettingsService routerSettings =
        new dev.pier.routersettings.RouterSettingsService(
            new dev.pier.routersettings.RouterSettingsStore(db),
            new dev.pier.routersettings.RouterDefaults(router.config()), routes::publish);
    routes.limits(routerSettings::limits);
    new dev.pier.api.RouterSettingsRoutes(apps, routerSettings).register(api);
    // #12 features (https-only, hsts): stored per app, published on each app's routes.
    dev.pier.features.FeatureService features = new dev.pier.features.FeatureService(
        new dev.pier.features.FeatureStore(db), routes::publish);
    // redirects name the port clients use (--router-public-https-port), not the listen port
    routes.https(features::https, router.tlsPort() > 0 ? settings.publicHttpsPort(router.tlsPort()) : 0);
    new dev.pier.api.FeatureRoutes(apps, features).register(api);
    // #12 custom domains: routed like APP.DOMAIN, on the same route.
    AtomicReference<Runnable> domainsChanged = new AtomicReference<>(() -> {}); // #12 ACME
    dev.pier.domains.DomainService domains = new dev.pier.domains.DomainService(
        new dev.pier.domains.DomainStore(db), new dev.pier.domains.HostNames(settings.domain()), () -> {
          routes.publish();
          domainsChanged.get().run();
        }, clock);
    routes.domains(domains::all);
    new dev.pier.api.DomainRoutes(apps, domains).register(api);
    appInfo.customDomains(a -> domains.list(a).stream().map(dev.pier.domains.DomainStore.Domain::hostname).toList());
    dev.pier.certs.CertService certs = new dev.pier.certs.CertService(
        new dev.pier.certs.CertStore(db), tls.apps(), tls.pierCa(), clock);
    certs.customDomains(app -> domains.list(new dev.pier.model.AppName(app)).stream()
        .map(dev.pier.domains.DomainStore.Domain::hostname).toList());
    certs.allDomains(domains::all); // an exact domain of one app is not another's through a wildcard
    // #12 automatic certificates (ACME, pier certs:auto:enable) for custom domains.
    dev.pier.acme.AcmeService acme = PierAcme.create(settings, db, router, tls,
        app -> domains.list(new dev.pier.model.AppName(app)).stream()
            .map(dev.pier.domains.DomainStore.Domain::hostname).toList(), clock);
    acme.onChange(certs::publish);
    certs.acme(acme);
    domainsChanged.set(acme::domainsChanged);
    new dev.pier.api.AcmeRoutes(apps, acme).register(api);
    certs.publish();
    apps.onDestroy(name -> certs.publish()); // its rows are gone (ON DELETE CASCADE)
    domains.onChange(certs::publish); // a removed domain's certificate is no longer presented
    renamer.onRename((from, to) -> certs.publish()); // names under the old APP.DOMAIN are not the app's
    new dev.pier.api.CertRoutes(tls.ca(), apps, certs).register(api);
    // #11 add-ons: data store servers (own port, uid, folder) attached to apps as config vars.
    dev.pier.addons.AddonWiring addons = dev.pier.addons.AddonWiring.create(db, addonKinds.make(sandbox, cgroups),
        apps, config, network, dirs.root(), root, logs, clock, settings.addonPorts());
    new dev.pier.api.AddonRoutes(apps, addons.service()).register(api);
    new dev.pier.api.AddonBackupRoutes(addons.backups(), addons.service(), apps).register(api);
    deploys.releasePhase(new dev.pier.addons.SnapshotBeforeRelease(deploys.releasePhase(), addons.service(), addons.backups()));
    appInfo.addons(addons::namesOf);
    apps.onDestroyApp(addons.service()::appDestroyed);
    context.addServlet(new ServletHolder("api", api), "/");
    ConsoleSessions consoleSessions = ConsoleSessions.standard();
    api.acceptConsoleSessions(consoleSessions);
    context.addServlet(
        new ServletHolder("console", new ConsoleServlet(auth.authenticator(), consoleSessions)), "/console/*");
    jetty.setHandler(context);
    JettyErrors.install(jetty, context);
    jetty.setStopTimeout(2000);

    routes.publish();
    // #11: before the API serves: undo or finish what a kill -9 cut off; and before the reconciler
    // starts instances, so no app can listen on a free add-on port before its server is back.
    addons.start();
    reconciler.start(); // its first pass brings back the instances of every running version
    autoscaler.start();
    cron.start(); // after the reconciler: catch-up runs start once the app's instances come back
    jetty.start();
    housekeeping.start();
    acme.start(); // orders and renewals on a virtual thread of its own
    return new PlatformServer(settings, auth, db, router, runtime, List.of(acme, idlePreviews, cron, autoscaler, reconciler), jetty, apiPort, housekeeping,
        List.of(oneOffs, leases, housekeeping, drains, metrics, logStore, addons, network));
  }

  /**
   * The nftables guard that keeps app code (builds and instances, by uid) off the platform's ports
   * on this machine: other apps' instance ports (the runtime's port range) and the API/git port.
   * The router, an app's own port and everything else stay open. Instance ports are also closed
   * to other local users and to other hosts: only the router reaches them. Off (with a warning
   * saying why) when turned off, not root, or nftables is unavailable. The table is named like the
   * cgroup folder, one per data directory.
   */
  private static NetworkGuard networkGuard(Settings settings, DataDirs dirs, PortRange instancePorts,
      List<PortRange> platformPorts) {
    if (!settings.networkIsolation()) {
      LOG.warn("network isolation is off (PIER_NETWORK_ISOLATION=0): apps, local users and other hosts can connect to instance ports, and apps to the API");
      return NetworkGuard.NONE;
    }
    if (!Sandbox.runningAsRoot()) return NetworkGuard.NONE; // already warned: no per-app uids either
    try {
      return NftNetworkGuard.start(cgroupBase(dirs).replace('-', '_'), instancePorts, platformPorts);
    } catch (IOException e) {
      LOG.warn("network isolation is off: {}. Apps, local users and other hosts can connect to instance ports, and apps to the API; "
          + "install nftables to close that", e.getMessage());
      return NetworkGuard.NONE;
    }
  }

  /**
   * The cgroup folder of this data directory's instances: {@code pier-} and a hash of the path,
   * so several Pier servers on one host never touch each other's instances.
   */
  static String cgroupBase(DataDirs dirs) {
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
          .digest(dirs.root().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "pier-" + java.util.HexFormat.of().formatHex(hash, 0, 5);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Samples instances and closes the current metrics window now instead of at the next 10 s tick. */
  public void sampleMetricsNow() {
    housekeeping.sample();
  }

  public int apiPort() {
    return apiPort;
  }

  public int routerPort() {
    return router.port();
  }

  /** The router's HTTPS port, or 0 when it has none ({@code --router-tls-port off}). */
  public int routerTlsPort() {
    return router.tlsPort();
  }

  public String apiUrl() {
    return "http://localhost:" + apiPort;
  }

  public String adminToken() {
    return auth.token();
  }

  /** True when this start created the admin token (it is then printed once). */
  public boolean adminTokenGenerated() {
    return auth.generated();
  }

  public Settings settings() {
    return settings;
  }

  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (Exception e) {
      LOG.warn("stopping the API failed", e);
    }
    for (AutoCloseable c : controllers) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed", c, e);
      }
    }
    runtime.close();
    router.close();
    for (AutoCloseable c : observers) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed", c, e);
      }
    }
    db.close();
  }
}
