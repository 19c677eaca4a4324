package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code apps:info} (#10): Heroku's fields, from GET /apps/APP/info. */
class AppInfoCommandTest extends FakeApiTest {
  @Test
  void infoShowsUrlsOwnerBuildpacksReleaseDynosWithSizesDomainsAddonsPipelineAndMaintenance() {
    app.formation.put("web", 2);
    app.sizes.put("web", "standard-2x");
    app.pipeline = "shop";
    app.stage = "production";

    var result = cli.run("apps:info", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("=== hello\n"
        + "Add-ons:     (none)\n"
        + "Buildpacks:  nodejs (Node.js)\n"
        + "Created:     2026/11/27 05:30:09\n"
        + "Domains:     hello.localhost\n"
        + "Dynos:       web: 2 x standard-2x, worker: 0 x default\n"
        + "Git URL:     " + api.url() + "/git/hello.git\n"
        + "Maintenance: off\n"
        + "Owner:       admin\n"
        + "Pipeline:    shop - production\n"
        + "Release:     v3 (Deploy 1a2b3c4)\n"
        + "Web URL:     http://hello.localhost:8080/\n");
    assertThat(api.requests("GET ")).contains("GET /apps/hello/info");
  }

  @Test
  void infoOfAnAppNeverDeployedAndInNoPipelineSaysSo() {
    api.apps.put("fresh", new FakePierApi.FakeApp("fresh"));

    var result = cli.run("apps:info", "-a", "fresh");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("Dynos:       (none)")
        .contains("Pipeline:    (none)")
        .contains("Release:     none (not deployed yet)");
  }

  @Test
  void infoAsJsonPrintsTheServersFieldsIncludingTheEmptyAddons() {
    var result = cli.run("apps:info", "-a", "hello", "--json");

    assertThat(result.exitCode()).isZero();
    var json = Json.parseOrNull(result.out());
    assertThat(json.path("addons").isArray()).isTrue();
    assertThat(json.path("addons")).isEmpty();
    assertThat(json.path("domains").get(0).asText()).isEqualTo("hello.localhost");
    assertThat(json.path("formation").get(0).path("size").asText()).isEqualTo("default");
  }
}
