package dev.pier.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.cron.CronService;
import dev.pier.cron.Job;
import dev.pier.cron.Run;
import dev.pier.errors.PlatformException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /apps/APP/cron}: an app's scheduled jobs ({@code GET}, {@code POST} a command job),
 * {@code /apps/APP/cron/ID} ({@code DELETE}), {@code /apps/APP/cron/ID/run} ({@code POST}: run
 * now) and the history, {@code /apps/APP/cron/runs} and {@code /apps/APP/cron/ID/runs}.
 */
public final class CronRoutes {
  private static final String CRON = AppRoutes.APP + "/cron";

  private final AppService apps;
  private final CronService cron;

  public CronRoutes(AppService apps, CronService cron) {
    this.apps = apps;
    this.cron = cron;
  }

  public void register(ApiServlet api) {
    api.on("GET", CRON + "/?", ex -> {
      App app = apps.get(ex.param(1));
      ex.json(200, cron.list(app.name().value()).stream().map(v -> view(v.job(), v.lastRun(), v.running())).toList());
    });
    api.on("POST", CRON + "/?", ex -> {
      App app = apps.get(ex.param(1));
      JsonNode body = ex.body();
      Duration limit = null;
      if (body.hasNonNull("time_limit_seconds")) {
        if (!body.get("time_limit_seconds").canConvertToLong()) throw PlatformException.badRequest("time_limit_seconds must be a whole number");
        limit = Duration.ofSeconds(body.get("time_limit_seconds").asLong());
      }
      Job job = cron.add(app.name().value(), new CronService.NewJob(text(body, "schedule"), text(body, "command"),
          text(body, "timezone"), body.path("allow_overlap").asBoolean(false), body.path("catch_up").asBoolean(true), limit));
      ex.json(201, view(job, null, false));
    });
    api.on("GET", CRON + "/runs/?", ex -> {
      App app = apps.get(ex.param(1));
      ex.json(200, runs(app, cron.runs(app.name().value(), null, ex.queryInt("limit", 50, 1, 1000))));
    });
    api.on("DELETE", CRON + "/([^/]+)/?", ex -> {
      App app = apps.get(ex.param(1));
      int id = id(ex.param(2));
      cron.remove(app.name().value(), id);
      ex.json(200, Map.of("id", id, "removed", true));
    });
    api.on("POST", CRON + "/([^/]+)/run/?", ex -> {
      App app = apps.get(ex.param(1));
      Run run = cron.runNow(app.name().value(), id(ex.param(2)));
      ex.json(202, run(app, run));
    });
    api.on("GET", CRON + "/([^/]+)/runs/?", ex -> {
      App app = apps.get(ex.param(1));
      ex.json(200, runs(app, cron.runs(app.name().value(), id(ex.param(2)), ex.queryInt("limit", 50, 1, 1000))));
    });
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isTextual()) throw PlatformException.badRequest(field + " must be a string");
    return v.asText();
  }

  private static int id(String raw) {
    try {
      return Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw PlatformException.badRequest("a job id is a number, as `pier cron` shows it; got '" + raw + "'");
    }
  }

  private static List<Map<String, Object>> runs(App app, List<Run> runs) {
    return runs.stream().map(r -> run(app, r)).toList();
  }

  static Map<String, Object> view(Job job, Run last, boolean running) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", job.id());
    v.put("kind", job.kind().wireName());
    v.put("schedule", job.schedule().text());
    v.put("syntax", job.schedule().syntax());
    v.put("timezone", job.schedule().zone().getId());
    v.put("command", job.command());
    v.put("url", job.url());
    v.put("target", job.target() == null ? null : "v" + job.target());
    v.put("description", job.description());
    v.put("allow_overlap", job.allowOverlap());
    v.put("catch_up", job.catchUp());
    if (job.kind() == Job.Kind.COMMAND) v.put("time_limit_seconds", job.timeLimit().toSeconds());
    if (job.kind() == Job.Kind.URL) {
      Map<String, Object> retry = new LinkedHashMap<>();
      retry.put("job_retry_limit", job.retry().retryLimit());
      retry.put("job_age_limit_seconds", job.retry().ageLimit() == null ? null : job.retry().ageLimit().toSeconds());
      retry.put("min_backoff_seconds", job.retry().minBackoff().toMillis() / 1000.0);
      retry.put("max_backoff_seconds", job.retry().maxBackoff().toMillis() / 1000.0);
      retry.put("max_doublings", job.retry().maxDoublings());
      v.put("retry_parameters", retry);
    }
    v.put("next_run_at", job.nextRunAt());
    v.put("running", running);
    v.put("last_run", last == null ? null : run(null, last));
    return v;
  }

  static Map<String, Object> run(App app, Run r) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", r.id());
    v.put("job_id", r.jobId());
    v.put("trigger", r.trigger().wireName());
    v.put("status", r.status().wireName());
    v.put("started_at", r.startedAt());
    v.put("finished_at", r.finishedAt());
    v.put("duration_ms", r.duration() == null ? null : r.duration().toMillis());
    v.put("exit_code", r.exitCode());
    v.put("http_status", r.httpStatus());
    v.put("attempts", r.attempts());
    v.put("instance", r.instance());
    v.put("message", r.message());
    String logsApp = app == null ? r.app() : app.name().value();
    v.put("logs", r.instance() == null ? "pier logs -a " + logsApp + " --dyno scheduler"
        : "pier logs -a " + logsApp + " --dyno " + r.instance());
    return v;
  }
}
