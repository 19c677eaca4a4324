package dev.pier.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.errors.PlatformException;
import dev.pier.routersettings.RouterSettingsService;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /apps/APP/router-settings}: the app's router limits ({@code GET}), set some ({@code
 * PATCH {"request-timeout": "60s", "max-body": "50MB"}}), and {@code
 * /apps/APP/router-settings/KEY} ({@code DELETE}): back to the router's default. Each answers
 * the whole view: {@code {"app": ..., "settings": [{"name", "value", "default", "own", "scope",
 * "range", "description"}]}}.
 */
public final class RouterSettingsRoutes {
  private static final String PATH = AppRoutes.APP + "/router-settings";

  private final AppService apps;
  private final RouterSettingsService settings;

  public RouterSettingsRoutes(AppService apps, RouterSettingsService settings) {
    this.apps = apps;
    this.settings = settings;
  }

  public void register(ApiServlet api) {
    api.on("GET", PATH + "/?", ex -> {
      App app = apps.get(ex.param(1));
      ex.json(200, view(app, settings.view(app.name())));
    });
    api.on("PATCH", PATH + "/?", ex -> {
      App app = apps.get(ex.param(1));
      Map<String, String> values = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = ex.body().fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isTextual()) {
          throw PlatformException.invalid("value of " + e.getKey() + " must be a string, e.g. \"60s\"");
        }
        values.put(e.getKey(), e.getValue().asText());
      }
      ex.json(200, view(app, settings.set(app.name(), values)));
    });
    api.on("DELETE", PATH + "/([^/]+)", ex -> {
      App app = apps.get(ex.param(1));
      ex.json(200, view(app, settings.reset(app.name(), List.of(ex.param(2)))));
    });
  }

  private static Map<String, Object> view(App app, List<RouterSettingsService.View> views) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (RouterSettingsService.View v : views) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("name", v.setting().key());
      one.put("value", v.value() == null ? "none" : v.setting().format(v.value()));
      one.put("default", v.defaultValue() == null ? "none" : v.setting().format(v.defaultValue()));
      one.put("own", v.own());
      one.put("scope", v.setting().perApp() ? "app" : "router");
      one.put("range", v.setting().perApp() ? v.setting().range() : null);
      one.put("description", v.setting().description());
      list.add(one);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("app", app.name().value());
    body.put("settings", list);
    return body;
  }
}
