package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.e2e.PlatformHarness.Result;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** App Engine's app.yaml scaling and resources keys, pushed with the real git client. */
class AppYamlScalingTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static Map<String, String> app(int version, String appYaml) {
    Map<String, String> files = new LinkedHashMap<>(SampleApps.nodeHello(version));
    files.put("app.yaml", "runtime: nodejs20\n" + appYaml);
    return files;
  }

  private static JsonNode api(PlatformHarness pier, String path) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(pier.apiUrl() + path))
        .header("Authorization", "Bearer " + PlatformHarness.TOKEN)
        .timeout(Duration.ofSeconds(30)).build();
    HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  @Test
  void gitPushOfAppYamlSetsAutoscalingAndSizeThenManualScalingFixesTheCount() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      pier.login();
      Path repo = pier.repo("hello", app(1, """
          automatic_scaling:
            min_instances: 1
            max_instances: 3
            target_concurrent_requests: 5
          resources:
            memory_gb: 1
          readiness_check:
            app_start_timeout_sec: 120
            failure_threshold: 2
          network:
            forwarded_ports: [8081]
          """));
      PlatformHarness.check(pier.cli(repo, "apps:create", "hello"));
      PlatformHarness.check(pier.cli(repo, "git:remote", "-a", "hello"));

      Result push = pier.git(repo, "push", "pier", "main");
      assertThat(push.exit()).as(push.all()).isZero();
      assertThat(push.err()).contains("remote:        app.yaml of v1 set: web autoscales between 1"
          + " and 3 instances at 5 concurrent requests; size standard-2x (memory_gb 1)");
      assertThat(push.err()).contains("remote:  !     app.yaml keys ignored by Pier:"
          + " readiness_check.failure_threshold, network.forwarded_ports");
      assertThat(push.err()).contains("; web boot timeout 120 s");
      assertThat(pier.awaitOk("hello", "/", Duration.ofSeconds(20)).body()).contains("\"version\":1");
      assertThat(api(pier, "/apps/hello").get("boot_timeout_seconds").asInt()).isEqualTo(120);

      JsonNode autoscale = api(pier, "/apps/hello/autoscale");
      assertThat(autoscale).hasSize(1);
      JsonNode web = autoscale.get(0);
      assertThat(web.get("type").asText()).isEqualTo("web");
      assertThat(web.get("min").asInt()).isEqualTo(1);
      assertThat(web.get("max").asInt()).isEqualTo(3);
      assertThat(web.get("metric").asText()).isEqualTo("concurrency");
      assertThat(web.get("target").asDouble()).isEqualTo(5.0);
      JsonNode sizes = api(pier, "/apps/hello/formation/sizes");
      assertThat(sizes.get("web").get("size").asText()).isEqualTo("standard-2x");
      assertThat(sizes.get("web").get("memory_mb").asInt()).isEqualTo(1024);

      Result logs = PlatformHarness.check(pier.cli(repo, "logs", "-a", "hello", "-n", "200"));
      assertThat(logs.out()).contains("app.yaml of v1 set: web autoscales between 1 and 3");

      // manual_scaling: a fixed count of 2, autoscaling off, both instances serve
      PlatformHarness.write(repo, app(2, "manual_scaling:\n  instances: 2\n"));
      pier.commitAll(repo, "manual scaling");
      Result second = pier.git(repo, "push", "pier", "main");
      assertThat(second.exit()).as(second.all()).isZero();
      assertThat(second.err()).contains("app.yaml of v2 set: web runs 2 instance(s), no autoscaling");
      assertThat(api(pier, "/apps/hello/autoscale")).isEmpty();
      assertThat(api(pier, "/apps/hello/formation").get("web").asInt()).isEqualTo(2);
      Set<String> dynos = new HashSet<>();
      for (int i = 0; i < 100 && dynos.size() < 2; i++) {
        PlatformHarness.Response r = pier.get("hello", "/");
        if (r.status() == 200 && r.body().contains("\"version\":2")) {
          dynos.add(r.body().replaceAll(".*\"dyno\":\"([^\"]+)\".*", "$1"));
        }
        Thread.sleep(100);
      }
      assertThat(dynos).containsExactlyInAnyOrder("web.1", "web.2");
      // the size stays: this app.yaml says nothing about resources
      assertThat(api(pier, "/apps/hello/formation/sizes").get("web").get("size").asText())
          .isEqualTo("standard-2x");

      // a bad value fails the push naming the key, and v2 keeps serving
      PlatformHarness.write(repo, app(3, "manual_scaling:\n  instances: -1\n"));
      pier.commitAll(repo, "bad scaling");
      Result bad = pier.git(repo, "push", "pier", "main");
      assertThat(bad.exit()).isNotZero();
      assertThat(bad.err()).contains(
          "app.yaml line 3: manual_scaling.instances must be a whole number from 0 to 100, got '-1'");
      assertThat(pier.get("hello", "/").body()).contains("\"version\":2");
    }
  }
}
