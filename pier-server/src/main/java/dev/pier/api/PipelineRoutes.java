package dev.pier.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.errors.PlatformException;
import dev.pier.pipelines.Pipeline;
import dev.pier.pipelines.PipelineDiff;
import dev.pier.pipelines.PipelineService;
import dev.pier.pipelines.Promoter;
import dev.pier.release.Release;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pipelines (#10): {@code /pipelines} (list, create), {@code /pipelines/NAME} (show, delete),
 * {@code /pipelines/NAME/diff}, and per app {@code /apps/APP/pipeline}, {@code
 * /apps/APP/pipeline/diff} and {@code POST /apps/APP/pipeline/promotions} (an NDJSON stream).
 */
public final class PipelineRoutes {
  private final AppService apps;
  private final PipelineService pipelines;
  private final Promoter promoter;
  private final PipelineDiff diff;

  public PipelineRoutes(AppService apps, PipelineService pipelines, Promoter promoter, PipelineDiff diff) {
    this.apps = apps;
    this.pipelines = pipelines;
    this.promoter = promoter;
    this.diff = diff;
  }

  public void register(ApiServlet api) {
    api.on("GET", "/pipelines/?", ex -> ex.json(200, pipelines.list()));
    api.on("POST", "/pipelines/?", ex -> {
      JsonNode body = ex.body();
      JsonNode name = body.get("name");
      if (name == null || !name.isTextual()) throw PlatformException.invalid("name must be a string");
      JsonNode stages = body.get("stages");
      if (stages == null || !stages.isArray()) {
        throw PlatformException.invalid("stages must be a list such as [{\"name\": \"staging\", \"apps\": [\"shop-staging\"]}]");
      }
      List<Pipeline.Stage> parsed = new ArrayList<>();
      for (JsonNode stage : stages) {
        JsonNode stageName = stage.get("name");
        JsonNode stageApps = stage.get("apps");
        if (stageName == null || !stageName.isTextual() || stageApps == null || !stageApps.isArray()) {
          throw PlatformException.invalid("each stage needs a name (a string) and apps (a list of app names)");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode app : stageApps) {
          if (!app.isTextual()) throw PlatformException.invalid("app names must be strings");
          names.add(app.asText());
        }
        parsed.add(new Pipeline.Stage(stageName.asText(), names));
      }
      ex.json(201, pipelines.create(name.asText(), parsed, ex.user));
    });
    api.on("GET", "/pipelines/([^/]+)", ex -> ex.json(200, pipelines.get(ex.param(1))));
    api.on("DELETE", "/pipelines/([^/]+)", ex -> {
      pipelines.destroy(ex.param(1), ex.user);
      ex.json(200, Map.of("deleted", ex.param(1)));
    });
    api.on("GET", "/pipelines/([^/]+)/diff", ex -> ex.json(200, diff.ofPipeline(pipelines.get(ex.param(1)))));
    api.on("GET", AppRoutes.APP + "/pipeline", ex -> {
      App app = apps.get(ex.param(1));
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("app", app.name().value());
      var placement = pipelines.placementOf(app.name());
      view.put("pipeline", placement.map(p -> p.pipeline().name()).orElse(null));
      view.put("stage", placement.map(p -> p.stage().name()).orElse(null));
      ex.json(200, view);
    });
    api.on("GET", AppRoutes.APP + "/pipeline/diff", ex -> ex.json(200, diff.ofApp(apps.get(ex.param(1)))));
    api.on("POST", AppRoutes.APP + "/pipeline/promotions", ex -> {
      App app = apps.get(ex.param(1));
      // Refusals (no pipeline, last stage, nothing to promote) are 4xx before the stream starts.
      Promoter.Targets targets = promoter.targets(app);
      Release from = promoter.promotable(app);
      NdjsonStream out = NdjsonStream.open(ex.response);
      try {
        List<Promoter.Promoted> promoted = promoter.promote(app, from, targets, ex.user, out);
        List<String> failed = promoted.stream().filter(p -> p.error() != null)
            .map(p -> p.app() + ": " + p.error()).toList();
        if (failed.isEmpty()) {
          Map<String, Object> result = new LinkedHashMap<>();
          result.put("from", app.name().value());
          result.put("release", from.version());
          result.put("stage", targets.to().name());
          result.put("promoted", promoted);
          out.succeeded(result);
        } else {
          out.failed(String.join("; ", failed));
        }
      } catch (PlatformException e) {
        out.failed(e.getMessage());
      }
    });
  }
}
