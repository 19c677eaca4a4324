package dev.pier.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.errors.PlatformException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /apps/{app}/maintenance}: show ({@code GET}) or set ({@code PUT {"maintenance": true}})
 * the app's maintenance mode. Both answer {@code {"app": ..., "maintenance": bool}}.
 */
final class MaintenanceRoutes {
  private final AppService apps;

  MaintenanceRoutes(AppService apps) {
    this.apps = apps;
  }

  void register(ApiServlet api) {
    api.on("GET", AppRoutes.APP + "/maintenance/?", ex -> {
      App app = apps.get(ex.param(1));
      ex.json(200, view(app, apps.maintenance(app.name())));
    });
    api.on("PUT", AppRoutes.APP + "/maintenance/?", ex -> {
      App app = apps.get(ex.param(1));
      JsonNode on = ex.body().get("maintenance");
      if (on == null || !on.isBoolean()) {
        throw PlatformException.invalid("maintenance must be true or false, e.g. {\"maintenance\": true}");
      }
      apps.setMaintenance(app.name(), on.asBoolean(), ex.user);
      ex.json(200, view(app, on.asBoolean()));
    });
  }

  private static Map<String, Object> view(App app, boolean on) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("app", app.name().value());
    view.put("maintenance", on);
    return view;
  }
}
