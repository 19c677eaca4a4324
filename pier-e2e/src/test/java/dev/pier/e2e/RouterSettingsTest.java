package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.e2e.PlatformHarness.Result;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-app router limits through the real CLI, API and store (#12): set, shown with defaults
 * marked, refused with the allowed range, reset; stored (kept across a new service: pier-server's RouterSettingsTest). (The router applying them
 * to requests is covered by pier-server's RouterSettingsTest and pier-router's RouterLimitsTest.)
 */
class RouterSettingsTest {
  @TempDir Path tmp;

  @Test
  void settingsAreSetShownWithDefaultsMarkedRefusedWhenWrongAndReset() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      pier.login();
      pierApi = pier.apiUrl();
      PlatformHarness.check(pier.cli(tmp, "apps:create", "shop", "--no-remote"));
      assertThat(PlatformHarness.check(pier.cli(tmp, "router:settings", "-a", "shop")).out())
          .containsPattern("request-timeout +30s \\(default\\) +1s to 1h")
          .containsPattern("max-body +none \\(default\\) +1KB to 100GB")
          .containsPattern("idle-timeout +90s \\(default\\)")
          .containsPattern("tunnel-idle-timeout +5m \\(default\\)")
          .containsPattern("header-timeout +10s \\(router-wide\\)")
          .containsPattern("max-header-size +8KB \\(router-wide\\)");

      Result set = PlatformHarness.check(pier.cli(tmp, "router:settings:set", "request-timeout=2s",
          "max-body=50MB", "-a", "shop"));
      assertThat(set.out()).containsPattern("request-timeout +2s \\(default 30s\\)")
          .containsPattern("max-body +50MB \\(default none\\)");

      Result wrong = pier.cli(tmp, "router:settings:set", "idle-timeout=10s", "request-timeout=0s",
          "-a", "shop");
      assertThat(wrong.exit()).isNotZero();
      assertThat(wrong.err()).contains("request-timeout must be from 1s to 1h, not 0s");
      Result routerWide = pier.cli(tmp, "router:settings:set", "max-header-size=16KB", "-a", "shop");
      assertThat(routerWide.exit()).isNotZero();
      assertThat(routerWide.err()).contains("max-header-size is router-wide");
      HttpResponse<String> notText = api("PATCH", "/apps/shop/router-settings", "{\"max-body\": 5}");
      assertThat(notText.statusCode()).isEqualTo(422);
      assertThat(notText.body()).contains("value of max-body must be a string");
      assertThat(api("GET", "/apps/nope/router-settings", null).statusCode()).isEqualTo(404);

      assertThat(PlatformHarness.check(pier.cli(tmp, "router:settings", "-a", "shop")).out())
          .containsPattern("request-timeout +2s \\(default 30s\\)")
          .containsPattern("idle-timeout +90s \\(default\\)");

      Result reset = PlatformHarness.check(pier.cli(tmp, "router:settings:reset", "request-timeout",
          "-a", "shop"));
      assertThat(reset.out()).containsPattern("request-timeout +30s \\(default\\)")
          .containsPattern("max-body +50MB \\(default none\\)");
      HttpResponse<String> json = api("GET", "/apps/shop/router-settings", null);
      assertThat(json.body()).contains("{\"name\":\"max-body\",\"value\":\"50MB\",\"default\":\"none\","
          + "\"own\":true,\"scope\":\"app\",\"range\":\"1KB to 100GB\"");
    }
  }

  private HttpResponse<String> api(String method, String path, String body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(pierApi + path))
        .header("Authorization", "Bearer " + PlatformHarness.TOKEN)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private String pierApi;
}
