package dev.pier.api;

import dev.pier.app.AppService;
import dev.pier.auth.Authenticator;
import dev.pier.config.ConfigService;
import dev.pier.deploy.BuildStore;
import dev.pier.deploy.DeployService;
import dev.pier.deploy.ProcessManager;
import dev.pier.deploy.Scaler;
import dev.pier.versions.VersionService;
import dev.pier.logs.DrainService;
import dev.pier.logs.LogBus;
import dev.pier.logstore.LogStore;
import dev.pier.metrics.Metrics;
import java.util.function.Supplier;
import dev.pier.release.ReleaseService;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/** Assembles the REST API servlet from its resource route classes. */
public final class Api {
  private Api() {}

  /** Everything the API needs, in one place. */
  public record Services(
      Authenticator auth, AppService apps, ReleaseService releases, ConfigService config,
      ProcessManager processes, Scaler scaler, dev.pier.deploy.Autoscaling autoscaling,
      DeployService deploys, VersionService versions,
      LogBus logs, LogStore logStore, DrainService drains, Metrics metrics, BuildStore builds,
      Supplier<Map<String, Double>> platformGauges, InstantSource clock,
      String domain, int routerPort, long maxUploadBytes) {}

  public static ApiServlet servlet(Services s) {
    ApiServlet api = new ApiServlet(s.auth());
    api.onOpen("GET", "/", ex -> {
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("name", "pier");
      status.put("version", "0.1.0");
      status.put("ready", true);
      status.put("domain", s.domain());
      status.put("router_port", s.routerPort());
      ex.json(200, status);
    });
    new AppRoutes(s.apps(), s.releases(), s.processes(), s.deploys()).register(api);
    new ConfigRoutes(s.apps(), s.config()).register(api);
    new ProcessRoutes(s.apps(), s.releases(), s.processes(), s.scaler(), s.clock()).register(api);
    new AutoscaleRoutes(s.apps(), s.autoscaling()).register(api);
    new ReleaseRoutes(s.apps(), s.versions(), s.builds()).register(api);
    new VersionRoutes(s.apps(), s.versions()).register(api);
    new LogRoutes(s.apps(), s.logs(), s.logStore()).register(api);
    new ObservabilityRoutes(s.apps(), s.logStore(), s.drains(), s.metrics(), s.clock(), s.platformGauges())
        .register(api);
    new DeployRoutes(s.apps(), s.deploys(), s.builds(), s.maxUploadBytes()).register(api);
    new BuildpackRoutes(s.apps(), s.deploys()).register(api);
    // #10 maintenance mode and whoami
    new MaintenanceRoutes(s.apps()).register(api);
    new AccountRoutes().register(api);
    return api;
  }
}
