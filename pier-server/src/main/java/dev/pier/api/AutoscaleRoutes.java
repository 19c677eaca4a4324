package dev.pier.api;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.deploy.Autoscaling;
import dev.pier.errors.PlatformException;
import dev.pier.model.ProcessType;

/** {@code /apps/APP/autoscale}: autoscaling per process type. */
final class AutoscaleRoutes {
  private final AppService apps;
  private final Autoscaling autoscaling;

  AutoscaleRoutes(AppService apps, Autoscaling autoscaling) {
    this.apps = apps;
    this.autoscaling = autoscaling;
  }

  void register(ApiServlet api) {
    api.on("GET", AppRoutes.APP + "/autoscale", ex -> ex.json(200, autoscaling.list(apps.get(ex.param(1)))));
    api.on("PUT", AppRoutes.APP + "/autoscale/([^/]+)", ex -> {
      App app = apps.get(ex.param(1));
      requireRelease(app);
      ex.json(200, autoscaling.enable(app, type(ex.param(2)), ex.body(), ex.user));
    });
    api.on("DELETE", AppRoutes.APP + "/autoscale/([^/]+)", ex -> {
      App app = apps.get(ex.param(1));
      String count = ex.query("count", null);
      Integer n;
      try {
        n = count == null ? null : Integer.valueOf(count);
      } catch (NumberFormatException e) {
        throw PlatformException.invalid("count must be a whole number, got '" + count + "'");
      }
      ex.json(200, autoscaling.disable(app, type(ex.param(2)), n, ex.user));
    });
  }

  private static String type(String raw) {
    try {
      return ProcessType.of(raw).value();
    } catch (IllegalArgumentException e) {
      throw PlatformException.invalid(e.getMessage());
    }
  }

  private static void requireRelease(App app) {
    if (!app.hasRelease()) {
      throw PlatformException.conflict("app '" + app.name() + "' has no release yet: deploy it first");
    }
  }
}
