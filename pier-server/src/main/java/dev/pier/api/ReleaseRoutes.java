package dev.pier.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.release.Release;
import dev.pier.errors.PlatformException;
import dev.pier.versions.VersionService;
import dev.pier.versions.VersionService.VersionState;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** {@code /apps/APP/releases} and {@code /apps/APP/rollback}. */
final class ReleaseRoutes {
  /** The wire form of a release (slug paths and config values are not shown). */
  record ReleaseView(
      int version, String description, Instant createdAt, String createdBy,
      Map<String, String> processes, boolean current, String state, int percent, boolean running,
      int instances, boolean slugAvailable) {}

  /**
   * A release with the names of its config vars, its own URL, and what built its slug (the
   * buildpack(s), the language detected, the runtime it builds and runs with, such as {@code
   * Node.js 22.12.0}, and the build's id; null when unknown).
   */
  record ReleaseInfo(
      int version, String description, Instant createdAt, String createdBy,
      Map<String, String> processes, boolean current, String state, int percent, boolean running,
      int instances, boolean slugAvailable, List<String> configKeys, String versionUrl,
      String readinessPath, String buildpack, String language, Integer build, String runtime) {}

  private final AppService apps;
  private final VersionService versions;
  private final dev.pier.deploy.BuildStore builds;

  ReleaseRoutes(AppService apps, VersionService versions, dev.pier.deploy.BuildStore builds) {
    this.apps = apps;
    this.versions = versions;
    this.builds = builds;
  }

  void register(ApiServlet api) {
    api.on("GET", AppRoutes.APP + "/releases/?", ex -> {
      App app = apps.get(ex.param(1));
      ex.json(200, versions.states(app).stream().map(s -> view(s, app)).toList());
    });
    api.on("GET", AppRoutes.APP + "/releases/([^/]+)", ex -> {
      App app = apps.get(ex.param(1));
      VersionState s = versions.state(app, parseVersion(ex.param(2)));
      ReleaseView v = view(s, app);
      dev.pier.deploy.BuildStore.Build build = buildOf(app, s.release());
      ex.json(200, new ReleaseInfo(v.version(), v.description(), v.createdAt(), v.createdBy(),
          v.processes(), v.current(), v.state(), v.percent(), v.running(), v.instances(),
          v.slugAvailable(), List.copyOf(new TreeSet<>(s.release().env().keySet())),
          apps.versionUrl(app.name(), v.version()), s.release().readinessPath(),
          build == null ? null : build.buildpack(), build == null ? null : build.language(),
          build == null ? null : build.id(), build == null ? null : build.runtime()));
    });
    api.on("POST", AppRoutes.APP + "/rollback", ex -> {
      App app = apps.get(ex.param(1));
      JsonNode body = ex.body();
      Integer version = body.hasNonNull("version") ? parseVersion(body.get("version").asText()) : null;
      if (version != null) versions.state(app, version); // 404 before the stream starts
      NdjsonStream out = NdjsonStream.open(ex.response);
      try {
        Release release = versions.rollback(app, version, ex.user, out);
        out.succeeded(Map.of("release", release.version()));
      } catch (PlatformException e) {
        out.failed(e.getMessage());
      }
    });
  }

  /**
   * The build that made the release's slug: config changes and rollbacks reuse the slug of an
   * earlier release, so the first release with that slug is the one a build made.
   */
  private dev.pier.deploy.BuildStore.Build buildOf(App app, Release release) {
    int first = release.version();
    if (release.slug() != null) {
      for (VersionState other : versions.states(app)) {
        Release r = other.release();
        if (release.slug().equals(r.slug()) && r.version() < first) first = r.version();
      }
    }
    return builds.forRelease(app.name(), first).orElse(null);
  }

  static ReleaseView view(VersionState s, App app) {
    Release r = s.release();
    return new ReleaseView(
        r.version(), r.description(), r.createdAt(), r.createdBy(), r.processes(),
        r.version() == app.currentRelease(), s.state(), s.percent(), s.running(), s.instances(),
        r.slug() != null && Files.exists(r.slug()));
  }

  /** Parses {@code 3} or {@code v3}. */
  static int parseVersion(String text) {
    String digits = text.startsWith("v") ? text.substring(1) : text;
    try {
      int v = Integer.parseInt(digits);
      if (v < 1) throw new NumberFormatException();
      return v;
    } catch (NumberFormatException e) {
      throw PlatformException.invalid("invalid version '" + text.replaceAll("[^\\x20-\\x7e]", "?")
          + "': use vN, e.g. v3");
    }
  }
}
