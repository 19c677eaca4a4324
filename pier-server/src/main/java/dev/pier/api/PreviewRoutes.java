package dev.pier.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.build.BuildOutput;
import dev.pier.errors.PlatformException;
import dev.pier.previews.Preview;
import dev.pier.previews.PreviewService;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /apps/APP/previews} (#10 branch previews): list them, show, remove one, and its own
 * config vars; {@code /apps/APP/preview-settings}: how long previews may idle. A preview is named
 * in paths by its host label, or by its branch when that has no slash (Jetty refuses {@code %2F}).
 */
public final class PreviewRoutes {
  /** The wire form of a preview. */
  record PreviewView(
      String branch, String label, String url, int version, String commit, String state, Instant lastRequestAt,
      Instant createdAt, Instant updatedAt, List<String> overrides) {}

  private static final String PREVIEW = AppRoutes.APP + "/previews/([^/]+)";

  private final AppService apps;
  private final PreviewService previews;

  public PreviewRoutes(AppService apps, PreviewService previews) {
    this.apps = apps;
    this.previews = previews;
  }

  public void register(ApiServlet api) {
    api.on("GET", AppRoutes.APP + "/previews/?", ex -> {
      App app = apps.get(ex.param(1));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("idle_seconds", previews.idle().limit(app).toSeconds());
      body.put("previews", previews.list(app).stream().map(PreviewRoutes::view).toList());
      ex.json(200, body);
    });
    api.on("GET", PREVIEW + "/?", ex -> {
      App app = apps.get(ex.param(1));
      String branch = previews.get(app, key(ex)).branch();
      ex.json(200, previews.list(app).stream().filter(s -> s.preview().branch().equals(branch))
          .map(PreviewRoutes::view).findFirst().orElseThrow());
    });
    api.on("DELETE", PREVIEW + "/?", ex -> {
      App app = apps.get(ex.param(1));
      Preview preview = previews.get(app, key(ex));
      previews.remove(app, preview.branch(), ex.user, BuildOutput.NONE);
      ex.json(200, Map.of("removed", preview.branch()));
    });
    api.on("GET", PREVIEW + "/config", ex -> {
      App app = apps.get(ex.param(1));
      ex.json(200, previews.get(app, key(ex)).overrides());
    });
    api.on("PATCH", PREVIEW + "/config", ex -> {
      App app = apps.get(ex.param(1));
      String key = key(ex);
      previews.get(app, key);
      Map<String, String> changes = ConfigRoutes.changes(ex.body());
      Map<String, String> overrides = previews.updateOverrides(app, key, changes, ex.user);
      Preview now = previews.get(app, key);
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("config", overrides);
      result.put("release", now.version());
      ex.json(200, result);
    });
    api.on("GET", AppRoutes.APP + "/preview-settings", ex -> {
      App app = apps.get(ex.param(1));
      ex.json(200, Map.of("idle_seconds", previews.idle().limit(app).toSeconds()));
    });
    api.on("PUT", AppRoutes.APP + "/preview-settings", ex -> {
      App app = apps.get(ex.param(1));
      JsonNode idle = ex.body().get("idle_seconds");
      if (idle == null || !idle.canConvertToLong() || !idle.isIntegralNumber()) {
        throw PlatformException.invalid("idle_seconds must be a whole number of seconds, e.g. 604800 for 7 days");
      }
      previews.idle().setLimit(app, Duration.ofSeconds(idle.asLong()), ex.user);
      ex.json(200, Map.of("idle_seconds", previews.idle().limit(app).toSeconds()));
    });
  }

  private static String key(Exchange ex) {
    return pathSegment(ex.param(2));
  }

  /**
   * A path segment decoded: {@code %XX} escapes only. A {@code +} stays a plus (branch
   * {@code fix+1}); {@link URLDecoder} alone would make it a space, as in a form.
   */
  static String pathSegment(String raw) {
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static PreviewView view(PreviewService.State s) {
    Preview p = s.preview();
    return new PreviewView(p.branch(), p.label(), s.url(), p.version(), p.commit(), s.state(), s.lastRequest(),
        p.createdAt(), p.updatedAt(), List.copyOf(p.overrides().keySet()));
  }
}
