package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the answer of {@code GET /apps/{app}/metrics} as text, like Heroku's metrics view: a
 * header with the range and resolution, the totals, response times, each instance's memory and
 * CPU, then one sparkline of requests per minute and one of p95 response time.
 *
 * <p>Any field the server leaves out, or sends as null, is shown as {@code -}; the view never
 * fails on a partial answer.
 */
final class MetricsView {
  /** Widest chart: 60 columns, so 360 ten-second points of an hour become one column a minute. */
  static final int CHART_WIDTH = 60;

  private MetricsView() {}

  /** Returns the lines to print for {@code app} over {@code range}. */
  static List<String> render(String app, Since range, JsonNode metrics) {
    List<String> lines = new ArrayList<>();
    JsonNode resolution = metrics.path("resolution_seconds");
    lines.add(Format.header(app + " Metrics - " + range.describe() + ", "
        + (resolution.isNumber() ? Format.age(Duration.ofSeconds(resolution.asLong())) : "-") + " resolution"));
    JsonNode summary = metrics.path("summary");
    Map<String, String> totals = new LinkedHashMap<>();
    totals.put("Requests", number(summary.path("requests"))
        + " (" + number(summary.path("requests_per_minute")) + " rpm)");
    totals.put("Responses", "2xx " + number(summary.path("status_2xx")) + ", 3xx " + number(summary.path("status_3xx"))
        + ", 4xx " + number(summary.path("status_4xx")) + ", 5xx " + number(summary.path("status_5xx")));
    JsonNode bytes = summary.path("bytes");
    totals.put("Bytes sent", bytes.isNumber() ? Format.size(bytes.asLong()) : "-");
    totals.put("Response time", "p50 " + ms(summary.path("p50_ms")) + ", p95 " + ms(summary.path("p95_ms"))
        + ", p99 " + ms(summary.path("p99_ms")));
    lines.addAll(Format.keyValues(totals));
    lines.add("");
    lines.add(Format.header("Instances"));
    lines.addAll(instances(metrics.path("instances")));
    lines.add("");
    List<Double> rpm = series(metrics.path("points"), "requests_per_minute");
    List<Double> p95 = series(metrics.path("points"), "p95_ms");
    lines.add(Format.header("Requests per minute (max " + number(Sparkline.max(rpm)) + ")"));
    lines.add(rpm.isEmpty() ? "No data points in this range" : Sparkline.of(rpm, CHART_WIDTH));
    lines.add(Format.header("Response time p95 (max " + ms(Sparkline.max(p95)) + ")"));
    lines.add(p95.isEmpty() ? "No data points in this range" : Sparkline.of(p95, CHART_WIDTH));
    return lines;
  }

  private static List<String> instances(JsonNode instances) {
    if (!instances.isArray() || instances.isEmpty()) {
      return List.of("No instance metrics");
    }
    Table table = new Table(false, false, false);
    for (JsonNode instance : instances) {
      String name = first(instance, "name", "instance").asText("-");
      table.row(name, "memory " + memory(instance), "cpu load " + decimals(first(instance, "cpu_load", "cpu"), 2));
    }
    return table.lines();
  }

  /** Returns the RSS in MB from {@code memory_rss_mb} or {@code rss_mb}, or bytes fields, or "-". */
  private static String memory(JsonNode instance) {
    JsonNode mb = first(instance, "memory_rss_mb", "rss_mb");
    if (mb.isNumber()) {
      return decimals(mb, 1) + " MB";
    }
    JsonNode bytes = first(instance, "memory_rss_bytes", "rss_bytes");
    return bytes.isNumber() ? String.format(Locale.ROOT, "%.1f MB", bytes.asDouble() / (1024 * 1024)) : "-";
  }

  private static JsonNode first(JsonNode node, String... names) {
    for (String name : names) {
      if (node.hasNonNull(name)) {
        return node.get(name);
      }
    }
    return node.path(names[0]);
  }

  private static List<Double> series(JsonNode points, String field) {
    List<Double> values = new ArrayList<>();
    for (JsonNode point : points) {
      values.add(point.path(field).isNumber() ? point.get(field).asDouble() : null);
    }
    return values;
  }

  /** Returns {@code 120}, {@code 20.5}, or {@code -} when the value is missing or not a number. */
  static String number(JsonNode value) {
    return value.isNumber() ? number(value.asDouble()) : "-";
  }

  static String number(Double value) {
    if (value == null) {
      return "-";
    }
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString(value.longValue())
        : String.format(Locale.ROOT, "%.1f", value);
  }

  private static String ms(JsonNode value) {
    return value.isNumber() ? number(value.asDouble()) + " ms" : "-";
  }

  private static String ms(Double value) {
    return value == null ? "-" : number(value) + " ms";
  }

  private static String decimals(JsonNode value, int places) {
    return value.isNumber() ? String.format(Locale.ROOT, "%." + places + "f", value.asDouble()) : "-";
  }
}
