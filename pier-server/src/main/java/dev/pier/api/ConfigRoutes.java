package dev.pier.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.config.ConfigService;
import dev.pier.errors.PlatformException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /apps/APP/config}: read and change config vars. */
final class ConfigRoutes {
  private final AppService apps;
  private final ConfigService config;

  ConfigRoutes(AppService apps, ConfigService config) {
    this.apps = apps;
    this.config = config;
  }

  void register(ApiServlet api) {
    api.on("GET", AppRoutes.APP + "/config", ex -> ex.json(200, config.get(apps.get(ex.param(1)))));
    api.on("PATCH", AppRoutes.APP + "/config", ex -> {
      App app = apps.get(ex.param(1));
      Map<String, String> changes = changes(ex.body());
      ConfigService.Updated updated = config.update(app, changes, ex.user);
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("config", updated.config());
      result.put("release", updated.release() == 0 ? null : updated.release());
      result.put("not_set", updated.notSet());
      ex.json(200, result);
    });
  }

  /** A config PATCH body: each name to its new value, or to null to unset it; 422 for any other value. */
  static Map<String, String> changes(JsonNode body) {
    Map<String, String> changes = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (v.isNull()) {
        changes.put(e.getKey(), null);
      } else if (v.isTextual()) {
        changes.put(e.getKey(), v.asText());
      } else {
        throw PlatformException.invalid("value of " + e.getKey() + " must be a string or null");
      }
    }
    return changes;
  }
}
