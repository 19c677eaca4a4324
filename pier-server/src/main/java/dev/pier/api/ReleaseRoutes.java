package dev.pier.api;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.release.Release;
import dev.pier.release.ReleaseService;
import java.time.Instant;
import java.util.Map;

/** {@code /apps/APP/releases}. */
final class ReleaseRoutes {
  /** The wire form of a release (slug paths and config values are not shown). */
  record ReleaseView(
      int version, String description, Instant createdAt, String createdBy,
      Map<String, String> processes, boolean current) {}

  private final AppService apps;
  private final ReleaseService releases;

  ReleaseRoutes(AppService apps, ReleaseService releases) {
    this.apps = apps;
    this.releases = releases;
  }

  void register(ApiServlet api) {
    api.on("GET", AppRoutes.APP + "/releases", ex -> {
      App app = apps.get(ex.param(1));
      ex.json(200, releases.list(app).stream().map(r -> view(r, app)).toList());
    });
  }

  static ReleaseView view(Release r, App app) {
    return new ReleaseView(
        r.version(), r.description(), r.createdAt(), r.createdBy(), r.processes(),
        r.version() == app.currentRelease());
  }
}
