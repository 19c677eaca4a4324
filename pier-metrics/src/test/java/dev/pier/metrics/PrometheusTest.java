package dev.pier.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusTest {
  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
  private static final Pattern TYPE =
      Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|summary|histogram|untyped)");
  private static final Pattern SAMPLE =
      Pattern.compile("(" + NAME + ")(\\{(.*)\\})? (\\S+)");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");

  @TempDir Path dir;
  private final MutableClock clock = MutableClock.at("2025-03-01T12:00:00Z");

  /** A sample: name, unescaped labels, value. */
  record Sample(String name, Map<String, String> labels, double value) {}

  /** Parses the exposition strictly, failing on any malformed line. */
  static List<Sample> parse(String text) {
    assertThat(text).endsWith("\n");
    List<Sample> samples = new ArrayList<>();
    Set<String> typed = new HashSet<>();
    Set<String> closedFamilies = new HashSet<>();
    String family = null;
    for (String line : text.split("\n")) {
      Matcher help = HELP.matcher(line);
      Matcher type = TYPE.matcher(line);
      Matcher sample = SAMPLE.matcher(line);
      if (help.matches()) {
        if (family != null) closedFamilies.add(family);
        family = help.group(1);
        assertThat(closedFamilies).as("family declared twice").doesNotContain(family);
      } else if (type.matches()) {
        assertThat(type.group(1)).isEqualTo(family);
        typed.add(family);
      } else if (sample.matches()) {
        String name = sample.group(1);
        assertThat(typed).as("TYPE before samples of " + name).contains(family);
        assertThat(name).as("sample in its family").isIn(
            family, family + "_sum", family + "_count");
        Map<String, String> labels = new LinkedHashMap<>();
        if (sample.group(3) != null) {
          Matcher label = LABEL.matcher(sample.group(3));
          int end = 0;
          while (label.find() && label.start() == end) {
            labels.put(label.group(1), unescape(label.group(2)));
            end = label.end();
          }
          assertThat(end).as("labels well-formed: " + line).isEqualTo(sample.group(3).length());
        }
        samples.add(new Sample(name, labels, value(sample.group(4))));
      } else {
        throw new AssertionError("malformed line: " + line);
      }
    }
    return samples;
  }

  private static double value(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }

  private static String unescape(String value) {
    return value.replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
  }

  private static double find(List<Sample> samples, String name, Map<String, String> labels) {
    return samples.stream()
        .filter(s -> s.name().equals(name) && s.labels().equals(labels))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + labels + " in " + samples))
        .value();
  }

  @Test
  void expositionIsWellFormedAndCarriesCountersQuantilesInstancesAndPlatformGauges() {
    try (Metrics metrics = new Metrics(dir, clock)) {
      for (int i = 0; i < 97; i++) metrics.recordRequest("shop", 2, "GET", "/", 200, 10, 1000);
      metrics.recordRequest("shop", 2, "GET", "/", 200, 2000, 1000);
      metrics.recordRequest("shop", 2, "GET", "/", 502, 2000, 10);
      metrics.recordRequest("shop", 2, "GET", "/", 101, 1, 0);
      metrics.recordRequest("blog", 1, "GET", "/", 404, 5, 10);
      metrics.recordInstance("shop", "shop.web.1", 2, 64_000_000, 1_500_000_000L, 3);
      clock.advance(Duration.ofSeconds(10));
      metrics.tick();

      Map<String, Double> platform = new LinkedHashMap<>();
      platform.put("pier_apps", 2.0);
      platform.put("pier_build_queue_depth", 0.5);
      List<Sample> samples = parse(metrics.prometheus(platform));

      Map<String, String> shop2 = Map.of("app", "shop", "version", "2");
      assertThat(find(samples, "pier_http_requests_total",
          Map.of("app", "shop", "version", "2", "status", "2xx"))).isEqualTo(98);
      assertThat(find(samples, "pier_http_requests_total",
          Map.of("app", "shop", "version", "2", "status", "5xx"))).isEqualTo(1);
      assertThat(find(samples, "pier_http_requests_total",
          Map.of("app", "shop", "version", "2", "status", "other"))).isEqualTo(1);
      assertThat(find(samples, "pier_http_requests_total",
          Map.of("app", "blog", "version", "1", "status", "4xx"))).isEqualTo(1);
      assertThat(find(samples, "pier_http_response_bytes_total", shop2)).isEqualTo(98_010);
      assertThat(find(samples, "pier_http_request_duration_seconds",
          Map.of("app", "shop", "version", "2", "quantile", "0.5"))).isEqualTo(0.01);
      assertThat(find(samples, "pier_http_request_duration_seconds",
          Map.of("app", "shop", "version", "2", "quantile", "0.99"))).isEqualTo(2.0);
      assertThat(find(samples, "pier_http_request_duration_seconds_count", shop2)).isEqualTo(100);
      assertThat(find(samples, "pier_http_request_duration_seconds_sum", shop2))
          .isEqualTo((97 * 10 + 2 * 2000 + 1) / 1000.0);
      assertThat(find(samples, "pier_instance_memory_rss_bytes",
          Map.of("app", "shop", "instance", "shop.web.1", "version", "2"))).isEqualTo(64_000_000);
      assertThat(find(samples, "pier_instance_cpu_seconds_total",
          Map.of("app", "shop", "instance", "shop.web.1"))).isEqualTo(1.5);
      assertThat(find(samples, "pier_instance_restarts_total",
          Map.of("app", "shop", "instance", "shop.web.1"))).isEqualTo(3);
      assertThat(find(samples, "pier_apps", Map.of())).isEqualTo(2);
      assertThat(find(samples, "pier_build_queue_depth", Map.of())).isEqualTo(0.5);
    }
  }

  @Test
  void labelValuesWithBackslashQuoteAndNewlineAreEscaped() {
    try (Metrics metrics = new Metrics(dir, clock)) {
      String nasty = "web\\1 \"quoted\"\nnext";
      metrics.recordInstance("shop", nasty, 1, 5, 0, 0);

      String text = metrics.prometheus(Map.of());
      assertThat(text).contains("instance=\"web\\\\1 \\\"quoted\\\"\\nnext\"");
      List<Sample> samples = parse(text);
      assertThat(find(samples, "pier_instance_memory_rss_bytes",
          Map.of("app", "shop", "instance", nasty, "version", "1"))).isEqualTo(5);
    }
  }

  @Test
  void durationQuantilesAreNanForAWindowWithoutRequests() {
    try (Metrics metrics = new Metrics(dir, clock)) {
      metrics.recordRequest("shop", 1, "GET", "/", 200, 10, 1);
      clock.advance(Duration.ofSeconds(10));
      metrics.tick();
      clock.advance(Duration.ofSeconds(10));
      metrics.tick();
      List<Sample> samples = parse(metrics.prometheus(Map.of()));
      assertThat(find(samples, "pier_http_request_duration_seconds",
          Map.of("app", "shop", "version", "1", "quantile", "0.95"))).isNaN();
      assertThat(find(samples, "pier_http_request_duration_seconds_count",
          Map.of("app", "shop", "version", "1"))).isEqualTo(1);
    }
  }

  @Test
  void invalidPlatformGaugeNameIsRejected() {
    try (Metrics metrics = new Metrics(dir, clock)) {
      assertThatThrownBy(() -> metrics.prometheus(Map.of("pier apps", 1.0)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("pier apps");
    }
  }
}
