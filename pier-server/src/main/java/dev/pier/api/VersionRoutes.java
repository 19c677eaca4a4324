package dev.pier.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.model.SplitBy;
import dev.pier.errors.PlatformException;
import dev.pier.versions.Traffic;
import dev.pier.versions.VersionService;
import dev.pier.versions.VersionService.VersionState;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /apps/APP/versions} and {@code /apps/APP/traffic}: App Engine's versions view. */
final class VersionRoutes {
  /** The wire form of a version. */
  record VersionView(
      int version, int percent, String state, int instances, boolean running, String versionUrl,
      Instant createdAt, String description) {}

  private final AppService apps;
  private final VersionService versions;

  VersionRoutes(AppService apps, VersionService versions) {
    this.apps = apps;
    this.versions = versions;
  }

  void register(ApiServlet api) {
    api.on("GET", AppRoutes.APP + "/versions/?", ex -> {
      App app = apps.get(ex.param(1));
      List<VersionView> shown = versions.states(app).stream()
          .filter(s -> s.running() || s.percent() > 0 || s.instances() > 0)
          .filter(s -> !s.state().equals("preview")) // #10 branch previews: pier previews lists them
          .map(s -> view(s, app)).toList();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("split_by", versions.traffic(app).splitBy().wireName());
      body.put("versions", shown);
      ex.json(200, body);
    });
    api.on("PUT", AppRoutes.APP + "/traffic", ex -> {
      App app = apps.get(ex.param(1));
      JsonNode body = ex.body();
      JsonNode allocations = body.get("allocations");
      if (allocations == null || !allocations.isObject()) {
        throw PlatformException.invalid("allocations must be an object such as {\"3\": 90, \"4\": 10}");
      }
      Map<Integer, Integer> shares = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = allocations.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        int version = ReleaseRoutes.parseVersion(e.getKey());
        if (!e.getValue().isInt()) {
          throw PlatformException.invalid("share of v" + version + " must be a whole number, not " + e.getValue());
        }
        if (shares.put(version, e.getValue().asInt()) != null) {
          throw PlatformException.invalid("v" + version + " is given twice");
        }
      }
      SplitBy splitBy = body.hasNonNull("split_by") ? splitBy(body.get("split_by").asText()) : null;
      Traffic.validated(SplitBy.RANDOM, shares);
      for (int v : shares.keySet()) versions.state(app, v);
      NdjsonStream out = NdjsonStream.open(ex.response);
      finish(out, () -> versions.split(app, shares, splitBy, ex.user, out));
    });
    api.on("POST", AppRoutes.APP + "/traffic/migrate", ex -> {
      App app = apps.get(ex.param(1));
      JsonNode body = ex.body();
      if (!body.hasNonNull("version")) throw PlatformException.invalid("version is required");
      int version = ReleaseRoutes.parseVersion(body.get("version").asText());
      JsonNode gradualNode = body.path("gradual");
      if (!gradualNode.isMissingNode() && !gradualNode.isNull() && !gradualNode.isBoolean()) {
        throw PlatformException.invalid("gradual must be true or false");
      }
      boolean gradual = gradualNode.asBoolean(false);
      int step = stepSeconds(body.get("step_seconds"));
      versions.state(app, version);
      NdjsonStream out = NdjsonStream.open(ex.response);
      finish(out, () -> versions.migrate(app, version, gradual, step, ex.user, out));
    });
    api.on("POST", AppRoutes.APP + "/versions/([^/]+)/stop", ex -> {
      App app = apps.get(ex.param(1));
      int version = ReleaseRoutes.parseVersion(ex.param(2));
      versions.stop(app, version, ex.user);
      ex.json(200, Map.of("version", version, "state", "stopped"));
    });
    api.on("POST", AppRoutes.APP + "/versions/([^/]+)/start", ex -> {
      App app = apps.get(ex.param(1));
      int version = ReleaseRoutes.parseVersion(ex.param(2));
      versions.start(app, version, ex.user);
      ex.json(200, Map.of("version", version, "state", "running"));
    });
  }

  /** {@code step_seconds} of a gradual migration: a whole number from 1 to 3600, 5 when absent. */
  static int stepSeconds(JsonNode node) {
    if (node == null || node.isNull()) return 5;
    if (!node.isIntegralNumber() || !node.canConvertToInt()
        || node.asInt() < VersionService.MIN_STEP_SECONDS || node.asInt() > VersionService.MAX_STEP_SECONDS) {
      String shown = node.toString();
      if (shown.length() > 40) shown = shown.substring(0, 40) + "...";
      throw PlatformException.invalid("step_seconds must be a whole number of seconds from "
          + VersionService.MIN_STEP_SECONDS + " to " + VersionService.MAX_STEP_SECONDS + ", not "
          + shown.replaceAll("[^\\x20-\\x7e]", "?"));
    }
    return node.asInt();
  }

  private static SplitBy splitBy(String text) {
    try {
      return SplitBy.parse(text);
    } catch (IllegalArgumentException e) {
      throw PlatformException.invalid(e.getMessage());
    }
  }

  /** Runs an operation that returns null or a failure reason, reporting it as the result line. */
  private interface Operation {
    String run() throws Exception;
  }

  private static void finish(NdjsonStream out, Operation op) {
    try {
      String problem = op.run();
      if (problem == null) {
        out.succeeded(Map.of());
      } else {
        for (String line : problem.split("\n")) out.warn(line);
        out.failed(problem.split("\n")[0]);
      }
    } catch (PlatformException e) {
      out.failed(e.getMessage());
    } catch (Exception e) {
      org.slf4j.LoggerFactory.getLogger(VersionRoutes.class).error("traffic change failed", e);
      out.failed("internal error: " + e.getMessage());
    }
  }

  private VersionView view(VersionState s, App app) {
    return new VersionView(
        s.release().version(), s.percent(), s.state(), s.instances(), s.running(),
        apps.versionUrl(app.name(), s.release().version()), s.release().createdAt(),
        s.release().description());
  }
}
