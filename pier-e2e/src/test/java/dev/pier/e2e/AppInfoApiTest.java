package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /apps/APP/info} (#10) of the real server, before any deploy: the fields are there and say "nothing yet". */
class AppInfoApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void infoOfANewAppListsItsBuiltInDomainNoAddonsNoReleaseAndItsPipelineStage() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      pier.login();
      PlatformHarness.check(pier.cli(tmp, "apps:create", "info-app", "--no-remote"));
      PlatformHarness.check(pier.cli(tmp, "apps:create", "info-prod", "--no-remote"));

      JsonNode alone = get(pier, "/apps/info-app/info");
      assertThat(alone.path("name").asText()).isEqualTo("info-app");
      assertThat(alone.path("owner").asText()).isEqualTo("admin");
      assertThat(alone.path("web_url").asText()).isEqualTo("http://info-app.localhost:" + pier.routerPort() + "/");
      assertThat(alone.path("git_url").asText()).isEqualTo(pier.apiUrl() + "/git/info-app.git");
      assertThat(alone.path("domains").toString()).isEqualTo("[\"info-app.localhost\"]");
      assertThat(alone.path("addons").isArray()).isTrue();
      assertThat(alone.path("addons")).isEmpty();
      assertThat(alone.path("release").isNull()).isTrue();
      assertThat(alone.path("formation")).isEmpty();
      assertThat(alone.path("pipeline").isNull()).isTrue();
      assertThat(alone.path("maintenance").asBoolean()).isFalse();

      PlatformHarness.check(pier.cli(tmp, "pipelines:create", "info", "--stage", "staging=info-app",
          "--stage", "production=info-prod"));
      PlatformHarness.check(pier.cli(tmp, "maintenance:on", "-a", "info-prod"));
      JsonNode prod = get(pier, "/apps/info-prod/info");
      assertThat(prod.path("pipeline").toString()).isEqualTo("{\"name\":\"info\",\"stage\":\"production\"}");
      assertThat(prod.path("maintenance").asBoolean()).isTrue();

      HttpResponse<String> missing = send(pier, "/apps/no-such-app/info");
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(JSON.readTree(missing.body()).path("detail").asText()).isEqualTo("app 'no-such-app' not found");
    }
  }

  private static JsonNode get(PlatformHarness pier, String path) throws Exception {
    HttpResponse<String> response = send(pier, path);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static HttpResponse<String> send(PlatformHarness pier, String path) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(URI.create(pier.apiUrl() + path))
          .header("Authorization", "Bearer " + PlatformHarness.TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }
  }
}
