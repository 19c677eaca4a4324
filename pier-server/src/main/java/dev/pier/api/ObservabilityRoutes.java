package dev.pier.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.logs.DrainService;
import dev.pier.logstore.LogQuery;
import dev.pier.logstore.LogStore;
import dev.pier.metrics.InstanceSample;
import dev.pier.metrics.Metrics;
import dev.pier.metrics.Point;
import dev.pier.metrics.Stats;
import dev.pier.metrics.Summary;
import dev.pier.metrics.Transaction;
import dev.pier.model.LogLine;
import dev.pier.errors.PlatformException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Log search and retention, drains, metrics, transactions and the Prometheus endpoint: what the
 * platform observes about each app.
 */
final class ObservabilityRoutes {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([smhd])");

  private final AppService apps;
  private final LogStore store;
  private final DrainService drains;
  private final Metrics metrics;
  private final InstantSource clock;
  private final Supplier<Map<String, Double>> platformGauges;

  ObservabilityRoutes(
      AppService apps, LogStore store, DrainService drains, Metrics metrics, InstantSource clock,
      Supplier<Map<String, Double>> platformGauges) {
    this.apps = apps;
    this.store = store;
    this.drains = drains;
    this.metrics = metrics;
    this.clock = clock;
    this.platformGauges = platformGauges;
  }

  void register(ApiServlet api) {
    api.on("GET", AppRoutes.APP + "/logs/search", ex -> {
      App app = apps.get(ex.param(1));
      LogFilter filter = LogFilter.from(ex);
      String since = ex.query("since", null);
      LogQuery query = new LogQuery(app.name().value(), ex.query("q", ""),
          since == null ? null : since(since), filter.kind(), filter.instance(),
          ex.queryInt("limit", 100, 1, 1000));
      ex.json(200, store.search(query).stream().map(ObservabilityRoutes::entry).toList());
    });
    api.on("GET", AppRoutes.APP + "/logs/retention", ex -> {
      App app = apps.get(ex.param(1));
      ex.json(200, Map.of("days", store.retention(app.name().value()).toDays()));
    });
    api.on("PUT", AppRoutes.APP + "/logs/retention", ex -> {
      App app = apps.get(ex.param(1));
      JsonNode days = ex.body().get("days");
      if (days == null || !days.isInt() || days.asInt() < 1 || days.asInt() > 365) {
        throw PlatformException.invalid("days must be a whole number from 1 to 365");
      }
      store.retention(app.name().value(), Duration.ofDays(days.asInt()));
      ex.json(200, Map.of("days", days.asInt()));
    });
    api.on("GET", AppRoutes.APP + "/drains/?", ex -> {
      App app = apps.get(ex.param(1));
      ex.json(200, drains.list(app.name()).stream().map(ObservabilityRoutes::drain).toList());
    });
    api.on("POST", AppRoutes.APP + "/drains/?", ex -> {
      App app = apps.get(ex.param(1));
      JsonNode url = ex.body().get("url");
      if (url == null || !url.isTextual()) throw PlatformException.invalid("url is required, e.g. syslog+tcp://logs.example.com:514");
      ex.json(201, drain(drains.add(app.name(), url.asText(), ex.user)));
    });
    api.on("DELETE", AppRoutes.APP + "/drains/(\\d{1,9})", ex -> {
      App app = apps.get(ex.param(1));
      int id = Integer.parseInt(ex.param(2));
      drains.remove(app.name(), id, ex.user);
      ex.json(200, Map.of("deleted", id));
    });
    api.on("GET", AppRoutes.APP + "/metrics", ex -> {
      App app = apps.get(ex.param(1));
      Duration since = lookback(ex.query("since", "1h"));
      if (since.compareTo(Duration.ofHours(24)) > 0) throw PlatformException.badRequest("since can be at most 24h");
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("resolution_seconds", since.compareTo(Duration.ofHours(1)) <= 0 ? 10 : 60);
      body.put("points", metrics.series(app.name().value(), since).stream().map(ObservabilityRoutes::point).toList());
      Summary summary = metrics.summary(app.name().value(), since);
      Map<String, Object> total = stats(summary.total());
      Map<String, Object> byVersion = new LinkedHashMap<>();
      summary.byVersion().forEach((v, st) -> byVersion.put("v" + v, stats(st)));
      total.put("by_version", byVersion);
      body.put("summary", total);
      body.put("instances", metrics.instances(app.name().value()).stream().map(ObservabilityRoutes::instance).toList());
      ex.json(200, body);
    });
    api.on("GET", AppRoutes.APP + "/transactions", ex -> {
      App app = apps.get(ex.param(1));
      ex.json(200, metrics.transactions(app.name().value()).stream().map(ObservabilityRoutes::transaction).toList());
    });
    api.on("GET", "/metrics", ex -> {
      ex.response.setStatus(200);
      ex.response.setContentType("text/plain; version=0.0.4; charset=utf-8");
      ex.response.getOutputStream().write(metrics.prometheus(platformGauges.get()).getBytes(StandardCharsets.UTF_8));
    });
  }

  /** Parses {@code 30s}, {@code 15m}, {@code 2h}, {@code 7d} (before now) or an ISO-8601 time. */
  Instant since(String text) {
    return clock.instant().minus(lookback(text));
  }

  /** How far back {@code since} reaches: a duration as given, or from an ISO-8601 time to now. */
  Duration lookback(String text) {
    Matcher m = DURATION.matcher(text);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      Duration d = Duration.between(Instant.parse(text), clock.instant());
      if (d.isNegative() || d.isZero()) throw PlatformException.badRequest("since must be in the past");
      return d;
    } catch (DateTimeParseException e) {
      throw PlatformException.badRequest(
          "invalid since '" + text.replaceAll("[^\\x20-\\x7e]", "?") + "': use e.g. 30s, 15m, 2h, 7d or an ISO-8601 time");
    }
  }

  static Map<String, Object> point(Point p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", p.time().toString());
    m.putAll(stats(p.stats()));
    m.put("memory_rss_bytes", p.memoryRssBytes());
    m.put("cpu_load", p.cpuLoad());
    return m;
  }

  static Map<String, Object> stats(Stats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("requests", s.requests());
    m.put("requests_per_minute", s.requestsPerMinute());
    m.put("p50_ms", s.latency().p50Ms());
    m.put("p95_ms", s.latency().p95Ms());
    m.put("p99_ms", s.latency().p99Ms());
    m.put("max_ms", s.latency().maxMs());
    m.put("mean_ms", s.latency().meanMs());
    m.put("status_2xx", s.status().s2xx());
    m.put("status_3xx", s.status().s3xx());
    m.put("status_4xx", s.status().s4xx());
    m.put("status_5xx", s.status().s5xx());
    m.put("bytes", s.bytes());
    m.put("error_rate", s.errorRate());
    return m;
  }

  static Map<String, Object> instance(InstanceSample i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("instance", i.instance());
    m.put("version", "v" + i.version());
    m.put("rss_bytes", i.rssBytes());
    m.put("memory_rss_mb", i.rssBytes() / (1024.0 * 1024.0));
    m.put("cpu_load", i.cpuLoad());
    m.put("restarts", i.restarts());
    m.put("time", i.time().toString());
    return m;
  }

  static Map<String, Object> transaction(Transaction t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", t.method());
    m.put("route", t.route());
    m.put("count", t.count());
    m.put("throughput_per_minute", t.throughputPerMinute());
    m.put("mean_ms", t.meanMs());
    m.put("p95_ms", t.p95Ms());
    m.put("error_rate", t.errorRate());
    m.put("slowest", t.slowest().stream().map(r -> Map.of(
        "path", r.path(), "duration_ms", r.ms(), "status", r.status(), "time", r.time().toString())).toList());
    return m;
  }

  static Map<String, Object> entry(LogLine line) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", line.time().toString());
    m.put("source", line.source());
    m.put("instance", line.process());
    m.put("kind", line.kind());
    m.put("text", line.text());
    m.put("line", line.format());
    return m;
  }

  static Map<String, Object> drain(DrainService.DrainView d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.id());
    m.put("url", d.url());
    m.put("created_at", d.createdAt().toString());
    m.put("sent", d.stats().sent());
    m.put("dropped", d.stats().dropped());
    m.put("failures", d.stats().failures());
    m.put("last_error", d.stats().lastError());
    return m;
  }
}
