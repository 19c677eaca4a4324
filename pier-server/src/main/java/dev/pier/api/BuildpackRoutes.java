package dev.pier.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.deploy.DeployService;
import dev.pier.errors.PlatformException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /apps/APP/buildpacks}: the buildpacks an app's builds run (Heroku's {@code
 * buildpacks:*}), and {@code /apps/APP/build-cache}: its build cache.
 */
final class BuildpackRoutes {
  private final AppService apps;
  private final DeployService deploys;

  BuildpackRoutes(AppService apps, DeployService deploys) {
    this.apps = apps;
    this.deploys = deploys;
  }

  void register(ApiServlet api) {
    api.on("GET", AppRoutes.APP + "/buildpacks/?", ex -> {
      App app = apps.get(ex.param(1));
      ex.json(200, view(deploys.buildpacks(app)));
    });
    // Replace the list: {"buildpacks": ["nodejs", "https://..."]}; [] clears it.
    api.on("PUT", AppRoutes.APP + "/buildpacks/?", ex -> {
      App app = apps.get(ex.param(1));
      JsonNode list = ex.body().get("buildpacks");
      if (list == null || !list.isArray()) {
        throw PlatformException.invalid("body must be {\"buildpacks\": [NAME_OR_URL, ...]}");
      }
      List<String> sources = new ArrayList<>();
      for (JsonNode item : list) sources.add(text(item));
      ex.json(200, view(deploys.setBuildpacks(app, sources)));
    });
    // Add one: {"buildpack": "...", "index": N} (1-based; default: last).
    api.on("POST", AppRoutes.APP + "/buildpacks/?", ex -> {
      App app = apps.get(ex.param(1));
      JsonNode body = ex.body();
      String source = text(body.get("buildpack"));
      JsonNode i = body.get("index");
      ex.json(200, view(deploys.updateBuildpacks(app, current -> {
        int index = current.size() + 1;
        if (i != null && !i.isNull()) {
          if (!i.canConvertToInt() || i.asInt() < 1 || i.asInt() > current.size() + 1) {
            throw PlatformException.invalid("index must be a whole number from 1 to " + (current.size() + 1));
          }
          index = i.asInt();
        }
        current.add(index - 1, source);
        return current;
      })));
    });
    // Remove one: ?buildpack=NAME_OR_URL or ?index=N.
    api.on("DELETE", AppRoutes.APP + "/buildpacks/?", ex -> {
      App app = apps.get(ex.param(1));
      String source = ex.query("buildpack", null);
      String indexText = ex.query("index", null);
      ex.json(200, view(deploys.updateBuildpacks(app, current -> {
        if (source != null) {
          int at = indexOf(current, source);
          if (at < 0) {
            throw PlatformException.notFound("buildpack " + source + " is not set on " + app.name()
                + (current.isEmpty() ? " (it sets none)" : "; it sets " + String.join(", ", current)));
          }
          current.remove(at);
        } else if (indexText != null) {
          if (current.isEmpty()) throw PlatformException.notFound(app.name() + " sets no buildpacks");
          current.remove(ex.queryInt("index", 1, 1, current.size()) - 1);
        } else {
          current.clear();
        }
        return current;
      })));
    });
    api.on("DELETE", AppRoutes.APP + "/build-cache/?", ex -> {
      App app = apps.get(ex.param(1));
      long bytes = deploys.purgeBuildCache(app, ex.user);
      ex.json(200, Map.of("purged_bytes", bytes));
    });
  }

  /** The stored form equals what was typed, or what the builder makes of it (heroku/nodejs: nodejs). */
  private int indexOf(List<String> current, String source) {
    int at = current.indexOf(source.strip());
    if (at >= 0) return at;
    try {
      return current.indexOf(deploys.checkBuildpack(source));
    } catch (PlatformException e) {
      return -1;
    }
  }

  private Map<String, Object> view(List<String> buildpacks) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("buildpacks", buildpacks);
    view.put("built_in", deploys.builtInBuildpacks());
    return view;
  }

  private static String text(JsonNode node) {
    if (node == null || !node.isTextual()) {
      throw PlatformException.invalid("a buildpack must be a string: a name, a git URL, a tarball or a directory");
    }
    return node.asText();
  }
}
