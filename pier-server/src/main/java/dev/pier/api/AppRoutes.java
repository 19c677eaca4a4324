package dev.pier.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.deploy.ProcessManager;
import dev.pier.release.ReleaseService;
import dev.pier.errors.PlatformException;
import java.time.Instant;
import java.util.Map;

/** {@code /apps}: list, create, show, destroy. */
final class AppRoutes {
  static final String APP = "/apps/([^/]+)";

  /** The wire form of an app. */
  record AppView(
      String name, Instant createdAt, String webUrl, String gitUrl, Integer release,
      Map<String, Integer> formation, String readinessPath, Integer bootTimeoutSeconds,
      boolean maintenance) {}

  private final AppService apps;
  private final ReleaseService releases;
  private final ProcessManager processes;

  private final dev.pier.deploy.DeployService deploys;

  AppRoutes(AppService apps, ReleaseService releases, ProcessManager processes,
      dev.pier.deploy.DeployService deploys) {
    this.deploys = deploys;
    this.apps = apps;
    this.releases = releases;
    this.processes = processes;
  }

  void register(ApiServlet api) {
    api.on("GET", "/apps/?", ex -> ex.json(200, apps.list().stream().map(this::view).toList()));
    api.on("POST", "/apps/?", ex -> {
      JsonNode body = ex.body();
      JsonNode name = body.get("name");
      if (name != null && !name.isNull() && !name.isTextual()) {
        throw PlatformException.invalid("name must be a string");
      }
      App app = apps.create(name == null || name.isNull() ? null : name.asText(), ex.user);
      ex.json(201, view(app));
    });
    api.on("GET", APP, ex -> ex.json(200, view(apps.get(ex.param(1)))));
    api.on("PATCH", APP, ex -> {
      App app = apps.get(ex.param(1));
      JsonNode body = ex.body();
      if (body.has("readiness_path")) {
        JsonNode path = body.get("readiness_path");
        if (!path.isNull() && !path.isTextual()) throw PlatformException.invalid("readiness_path must be a string or null");
        app = apps.setReadinessPath(app.name(), path.isNull() ? null : path.asText(), ex.user);
      }
      if (body.has("boot_timeout_seconds")) {
        JsonNode seconds = body.get("boot_timeout_seconds");
        if (!seconds.isNull() && !seconds.isInt()) {
          throw PlatformException.invalid("boot_timeout_seconds must be a whole number of seconds or null");
        }
        apps.setBootTimeout(app.name(), seconds.isNull() ? null : seconds.asInt(), ex.user);
      }
      ex.json(200, view(app));
    });
    api.on("DELETE", APP, ex -> {
      App app = apps.get(ex.param(1));
      // Under the app's lock: a deploy in progress finishes (or fails) first, never half way
      // through a destroyed app.
      deploys.exclusively(app, dev.pier.build.BuildOutput.NONE, () -> {
        apps.destroy(app.name());
        return null;
      });
      ex.json(200, Map.of("deleted", app.name().value()));
    });
  }

  AppView view(App app) {
    Map<String, Integer> formation =
        app.hasRelease() ? processes.formation(app.name(), releases.current(app)) : Map.of();
    return new AppView(
        app.name().value(), app.createdAt(), apps.webUrl(app.name()), apps.gitUrl(app.name()),
        app.hasRelease() ? app.currentRelease() : null, formation, app.readinessPath(),
        apps.bootTimeoutSeconds(app.name()).orElse(null), apps.maintenance(app.name()));
  }

}
