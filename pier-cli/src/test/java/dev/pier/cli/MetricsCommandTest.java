package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricsCommandTest extends FakeApiTest {
  private static JsonNode json(String text) {
    return Json.parseOrNull(text.replace('\'', '"'));
  }

  @Test
  void metricsShowsTotalsInstancesAndCharts() {
    StringBuilder points = new StringBuilder();
    double[] rpm = {0, 60, 120, 180, 240, 300, 360, 420};
    String[] p95 = {"10", "20", "null", "40", "40", "40", "40", "80"};
    for (int i = 0; i < rpm.length; i++) {
      points.append(i == 0 ? "" : ",").append("{'time':'2026-11-27T05:3").append(i)
          .append(":00Z','requests_per_minute':").append(rpm[i]).append(",'p95_ms':").append(p95[i]).append("}");
    }
    api.metrics = json("{'resolution_seconds':10,'points':[" + points + "],"
        + "'summary':{'requests':1234,'requests_per_minute':20.6,'status_2xx':1200,'status_3xx':0,"
        + "'status_4xx':30,'status_5xx':4,'bytes':1258291,'p50_ms':4,'p95_ms':12,'p99_ms':40.5},"
        + "'instances':[{'name':'web.1','memory_rss_mb':45.3,'cpu_load':0.12},{'name':'web.2'}]}");

    var result = cli.run("metrics", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("""
        === hello Metrics - the last 1h, 10s resolution
        Requests:      1234 (20.6 rpm)
        Responses:     2xx 1200, 3xx 0, 4xx 30, 5xx 4
        Bytes sent:    1.2 MB
        Response time: p50 4 ms, p95 12 ms, p99 40.5 ms

        === Instances
        web.1  memory 45.3 MB  cpu load 0.12
        web.2  memory -        cpu load -

        === Requests per minute (max 420)
        ▁▂▃▄▅▆▇█
        === Response time p95 (max 80 ms)
        ▂▃ ▅▅▅▅█
        """);
    assertThat(api.requests).containsExactly("GET /apps/hello/metrics?since=1h");
  }

  @Test
  void aPartialAnswerShowsDashesInsteadOfFailing() {
    api.metrics = json("{'points':[{'time':'x'}],'instances':[{'instance':'worker.1','rss_bytes':1048576}]}");

    var result = cli.run("metrics", "--since", "24h", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("""
        === hello Metrics - the last 24h, - resolution
        Requests:      - (- rpm)
        Responses:     2xx -, 3xx -, 4xx -, 5xx -
        Bytes sent:    -
        Response time: p50 -, p95 -, p99 -

        === Instances
        worker.1  memory 1.0 MB  cpu load -

        === Requests per minute (max -)
        \s
        === Response time p95 (max -)
        \s
        """);
    assertThat(api.requests).containsExactly("GET /apps/hello/metrics?since=24h");
  }

  @Test
  void anEmptyRangeSaysThereIsNoData() {
    var result = cli.run("metrics", "-a", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .contains("=== Instances\nNo instance metrics\n")
        .contains("=== Requests per minute (max -)\nNo data points in this range\n");
  }

  @Test
  void jsonPrintsTheApisAnswer() {
    api.metrics = json("{'resolution_seconds':60,'points':[],'summary':{'requests':5}}");

    var result = cli.run("metrics", "--json", "--since", "2026-11-27T05:00:00Z", "-a", "hello");

    assertThat(Json.parseOrNull(result.out())).isEqualTo(api.metrics);
    assertThat(api.requests).containsExactly("GET /apps/hello/metrics?since=2026-11-27T05%3A00%3A00Z");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1 hour", "0m", "yesterday", "-1h"})
  void aBadRangeIsRefusedBeforeAnyRequest(String since) {
    var result = cli.run("metrics", "--since", since, "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).startsWith(" !     Invalid --since '" + since + "'");
    assertThat(api.requests).isEmpty();
  }
}
