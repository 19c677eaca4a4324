package dev.pier.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.errors.PlatformException;
import dev.pier.features.FeatureService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /apps/APP/features}: every feature of the app ({@code GET}: {@code {"app", "features":
 * [{"name", "enabled", "description"}]}}); {@code /apps/APP/features/NAME}: one ({@code GET}), or
 * switch it ({@code PATCH {"enabled": true}}), answering the feature's view. An unknown name is a
 * 404.
 */
public final class FeatureRoutes {
  private static final String PATH = AppRoutes.APP + "/features";

  private final AppService apps;
  private final FeatureService features;

  public FeatureRoutes(AppService apps, FeatureService features) {
    this.apps = apps;
    this.features = features;
  }

  public void register(ApiServlet api) {
    api.on("GET", PATH + "/?", ex -> {
      App app = apps.get(ex.param(1));
      List<Map<String, Object>> list = new ArrayList<>();
      for (FeatureService.View v : features.list(app.name())) list.add(view(v));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("app", app.name().value());
      body.put("features", list);
      ex.json(200, body);
    });
    api.on("GET", PATH + "/([^/]+)", ex -> {
      App app = apps.get(ex.param(1));
      ex.json(200, view(features.get(app.name(), ex.param(2))));
    });
    api.on("PATCH", PATH + "/([^/]+)", ex -> {
      App app = apps.get(ex.param(1));
      JsonNode enabled = ex.body().get("enabled");
      if (enabled == null || !enabled.isBoolean()) {
        throw PlatformException.invalid("body must be {\"enabled\": true} or {\"enabled\": false}");
      }
      ex.json(200, view(features.set(app.name(), ex.param(2), enabled.asBoolean())));
    });
  }

  private static Map<String, Object> view(FeatureService.View v) {
    Map<String, Object> one = new LinkedHashMap<>();
    one.put("name", v.feature().key());
    one.put("enabled", v.enabled());
    one.put("description", v.feature().description());
    return one;
  }
}
