package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.e2e.PlatformHarness.Response;
import dev.pier.e2e.PlatformHarness.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flow that opens every Heroku tutorial, with the real git client and real instances. */
class GitPushFlowTest {
  @TempDir Path tmp;

  @Test
  void createPushServeLogScaleConfigRepushBreakAndRestart() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      pier.login();
      assertThat(Files.readString(pier.home.resolve(".netrc"))).contains("machine localhost");

      Path repo = pier.repo("hello", SampleApps.nodeHello(1));
      PlatformHarness.check(pier.cli(repo, "apps:create", "hello"));
      PlatformHarness.check(pier.cli(repo, "git:remote", "-a", "hello"));

      // git push streams the build as remote: lines and releases v1
      Result push = pier.git(repo, "push", "pier", "main");
      assertThat(push.exit()).as(push.all()).isZero();
      assertThat(push.err()).contains("remote: -----> ").contains("Released v1");

      Response first = pier.awaitOk("hello", "/", Duration.ofSeconds(20));
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.body()).contains("\"dyno\":\"web.1\"").contains("\"version\":1");
      assertThat(first.headers()).containsKey("x-request-id");
      assertThat(first.body()).doesNotContain("\"uid\":0");

      // logs: the app's console.log, router lines and platform events, in one stream
      Result logs = pier.logsUntil(repo, "pier[router]: at=info method=GET path=\"/\"", "logs", "-a", "hello", "-n", "200");
      assertThat(logs.out())
          .contains("app[web.1]: hello app booting version 1")
          .contains("pier[router]: at=info method=GET path=\"/\"")
          .contains("dyno=web.1")
          .contains("Release v1");

      // scale to two instances; both answer through the router
      PlatformHarness.check(pier.cli(repo, "ps:scale", "web=2", "-a", "hello"));
      Set<String> dynos = new HashSet<>();
      for (int i = 0; i < 60 && dynos.size() < 2; i++) {
        Response r = pier.get("hello", "/");
        if (r.status() == 200) dynos.add(r.body().replaceAll(".*\"dyno\":\"([^\"]+)\".*", "$1"));
        Thread.sleep(100);
      }
      assertThat(dynos).containsExactlyInAnyOrder("web.1", "web.2");
      Result ps = PlatformHarness.check(pier.cli(repo, "ps", "-a", "hello"));
      assertThat(ps.out()).containsPattern("(?m)^web\\.1: up").containsPattern("(?m)^web\\.2: up");

      // config:set makes a new release and restarts: the app sees the value
      PlatformHarness.check(pier.cli(repo, "config:set", "GREETING=hi there", "-a", "hello"));
      assertThat(pier.awaitBody("hello", "\"greeting\":\"hi there\"", Duration.ofSeconds(20))).isTrue();

      // push a change: served after the push returns
      PlatformHarness.write(repo, SampleApps.nodeHello(2));
      pier.commitAll(repo, "version 2");
      PlatformHarness.check(pier.git(repo, "push", "pier", "main"));
      assertThat(pier.awaitBody("hello", "\"version\":2", Duration.ofSeconds(20))).isTrue();

      // a broken push fails in git and the previous release keeps serving
      PlatformHarness.write(repo, Map.of("package.json", "{ \"name\": \"hello\", \"scripts\": { \"start\": \"node server.js\" }, }\n"));
      pier.commitAll(repo, "broken");
      Result broken = pier.git(repo, "push", "pier", "main");
      assertThat(broken.exit()).isNotZero();
      assertThat(broken.err()).contains("package.json").contains("build failed").contains("Push rejected.");
      // the reason is said once, not repeated by each layer
      assertThat(broken.err().lines().filter(l -> l.contains("package.json")).toList()).doesNotHaveDuplicates();
      Response still = pier.get("hello", "/");
      assertThat(still.status()).isEqualTo(200);
      assertThat(still.body()).contains("\"version\":2").contains("\"greeting\":\"hi there\"");

      // every build is kept with its output, failed ones too
      var http = java.net.http.HttpClient.newHttpClient();
      String builds = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(pier.apiUrl() + "/apps/hello/builds"))
          .header("Authorization", "Bearer " + PlatformHarness.TOKEN).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      assertThat(builds).contains("\"status\":\"failed\"").contains("\"status\":\"succeeded\"").contains("\"release\":3");
      String failedBuild = builds.replaceAll("(?s)^\\[\\{\"id\":\\d+,\"number\":(\\d+).*", "$1");
      String output = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(pier.apiUrl() + "/apps/hello/builds/" + failedBuild))
          .header("Authorization", "Bearer " + PlatformHarness.TOKEN).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      assertThat(output).contains("package.json").contains("Failed:");

      // a restart keeps apps, releases and config, and brings the instances back
      pier.restart();
      Response afterRestart = pier.awaitOk("hello", "/", Duration.ofSeconds(30));
      assertThat(afterRestart.status()).isEqualTo(200);
      assertThat(afterRestart.body()).contains("\"version\":2").contains("\"greeting\":\"hi there\"");
      Result releases = PlatformHarness.check(pier.cli(repo, "releases", "-a", "hello"));
      assertThat(releases.out()).contains("v3").contains("v2").contains("v1");
      Result ps2 = PlatformHarness.check(pier.cli(repo, "ps", "-a", "hello"));
      assertThat(ps2.out()).containsPattern("(?m)^web\\.2: ");
    }
  }

  @Test
  void gitPushAuthenticatesWithOnlyTheEnvironmentsTokenThroughPiersCredentialHelper() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      // No login, no ~/.netrc: the CLI and git see PIER_API_URL and PIER_API_TOKEN only, with
      // the API's other loopback name, so a remote on the server's own URL could not match.
      String api = pier.apiUrl();
      String typed = api.contains("localhost") ? api.replace("localhost", "127.0.0.1") : api.replace("127.0.0.1", "localhost");
      Path launcher = tmp.resolve("pier-launcher");
      Files.writeString(launcher, "#!/bin/sh\nexec '" + ProcessHandle.current().info().command().orElseThrow()
          + "' -cp '" + System.getProperty("java.class.path") + "' dev.pier.cli.PierCli \"$@\"\n");
      launcher.toFile().setExecutable(true);
      pier.extraEnv.putAll(Map.of("PIER_API_URL", typed, "PIER_API_TOKEN", PlatformHarness.TOKEN,
          "PIER_LAUNCHER", launcher.toString()));

      Path repo = pier.repo("envonly", SampleApps.nodeHello(1));
      Result created = PlatformHarness.check(pier.cli(repo, "apps:create", "envonly"));
      Result push = pier.git(repo, "push", "pier", "main");

      assertThat(Files.exists(pier.home.resolve(".netrc"))).isFalse();
      assertThat(created.out()).contains("Git remote pier added");
      assertThat(pier.git(repo, "remote", "get-url", "pier").out().strip()).isEqualTo(typed + "/git/envonly.git");
      assertThat(push.exit()).as(push.all()).isZero();
      assertThat(pier.awaitOk("envonly", "/", Duration.ofSeconds(20)).body()).contains("\"version\":1");

      // a wrong token is refused by the server, not hidden
      pier.extraEnv.put("PIER_API_TOKEN", "wrong-token");
      Result refused = pier.git(repo, "push", "pier", "main:other");
      assertThat(refused.exit()).isNotZero();
      assertThat(refused.err()).containsIgnoringCase("authentication failed");
    }
  }

  @Test
  void theProcfilesReleaseCommandRunsBeforeTheReleaseLaunchesAndAFailureKeepsThePreviousOne() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      pier.login();
      Map<String, String> files = new java.util.LinkedHashMap<>(SampleApps.nodeHello(1));
      files.put("Procfile", "web: node server.js\nrelease: echo \"migrating for $PIER_RELEASE as $(id -u)\"\n");
      Path repo = pier.repo("phased", files);
      PlatformHarness.check(pier.cli(repo, "apps:create", "phased"));

      Result push = pier.git(repo, "push", "pier", "main");
      assertThat(push.exit()).as(push.all()).isZero();
      assertThat(push.err()).contains("Running release command for v1").containsPattern("migrating for v1 as [1-9]")
          .contains("Released v1");
      assertThat(push.err().indexOf("migrating for v1")).isLessThan(push.err().indexOf("Launching v1"));
      assertThat(pier.awaitOk("phased", "/", Duration.ofSeconds(20)).body()).contains("\"version\":1");
      Result ps = PlatformHarness.check(pier.cli(repo, "ps", "-a", "phased"));
      assertThat(ps.out()).contains("web.1").doesNotContain("release");
      assertThat(pier.cli(repo, "ps:scale", "release=1", "-a", "phased").err()).contains("release phase command");

      PlatformHarness.write(repo, SampleApps.nodeHello(2));
      PlatformHarness.write(repo, Map.of("Procfile", "web: node server.js\nrelease: echo about to fail; exit 4\n"));
      pier.commitAll(repo, "a failing migration");
      Result failed = pier.git(repo, "push", "pier", "main");
      assertThat(failed.exit()).isNotZero();
      assertThat(failed.err()).contains("about to fail").contains("the release command failed (exit code 4)")
          .contains("the previous release keeps serving").doesNotContain("Launching v2");
      assertThat(pier.get("phased", "/").body()).contains("\"version\":1");
      assertThat(pier.cli(repo, "logs", "-a", "phased", "-n", "200").out())
          .contains("app[release.1]: about to fail").contains("Release command of v2 failed");
    }
  }

  /** #10 maintenance mode: the router answers for the app; deploys go on; a restart keeps it. */
  @Test
  void maintenanceModeAnswers503WithTheAppsOwnPageWhileDeploysGoOnAndSurvivesARestart() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      pier.login();
      Map<String, String> files = new java.util.LinkedHashMap<>(SampleApps.nodeHello(1));
      files.put("maintenance.html", "<h1>Upgrading the shop, back at noon</h1>\n");
      Path repo = pier.repo("shop", files);
      PlatformHarness.check(pier.cli(repo, "apps:create", "shop"));
      PlatformHarness.check(pier.git(repo, "push", "pier", "main"));
      assertThat(pier.awaitOk("shop", "/", Duration.ofSeconds(20)).body()).contains("\"version\":1");
      assertThat(PlatformHarness.check(pier.cli(repo, "maintenance", "-a", "shop")).out()).isEqualTo("off\n");

      PlatformHarness.check(pier.cli(repo, "maintenance:on", "-a", "shop"));

      for (String host : new String[] {"shop.localhost", "v1.shop.localhost"}) {
        Response down = pier.request("GET", host, "/orders", null);
        assertThat(down.status()).as(host).isEqualTo(503);
        assertThat(down.body()).isEqualTo("<h1>Upgrading the shop, back at noon</h1>\n");
        assertThat(down.headers()).containsEntry("x-router-error", "maintenance").containsKey("retry-after");
      }
      assertThat(PlatformHarness.check(pier.cli(repo, "maintenance", "-a", "shop")).out()).isEqualTo("on\n");
      assertThat(PlatformHarness.check(pier.cli(repo, "apps:info", "-a", "shop")).out()).contains("Maintenance: on");

      // a push while in maintenance still deploys; the page is still answered
      PlatformHarness.write(repo, SampleApps.nodeHello(2));
      pier.commitAll(repo, "version 2");
      Result push = pier.git(repo, "push", "pier", "main");
      assertThat(push.exit()).as(push.all()).isZero();
      assertThat(push.err()).contains("Released v2");
      assertThat(pier.get("shop", "/").status()).isEqualTo(503);

      // stored: still on after a restart
      pier.restart();
      Response afterRestart = pier.get("shop", "/");
      assertThat(afterRestart.status()).isEqualTo(503);
      assertThat(afterRestart.body()).contains("Upgrading the shop");

      // the API: bad input is a JSON problem and changes nothing; whoami names the token's user
      var http = java.net.http.HttpClient.newHttpClient();
      var bad = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(pier.apiUrl() + "/apps/shop/maintenance"))
          .header("Authorization", "Bearer " + PlatformHarness.TOKEN)
          .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"maintenance\":\"yes\"}")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(bad.statusCode()).isEqualTo(422);
      assertThat(bad.body()).contains("maintenance must be true or false");
      assertThat(pier.get("shop", "/").status()).isEqualTo(503);
      Result whoami = PlatformHarness.check(pier.cli(repo, "whoami"));
      assertThat(whoami.out()).isNotBlank().doesNotContain(PlatformHarness.TOKEN);

      PlatformHarness.check(pier.cli(repo, "maintenance:off", "-a", "shop"));
      assertThat(pier.awaitBody("shop", "\"version\":2", Duration.ofSeconds(20))).isTrue();
      assertThat(pier.cli(repo, "logs", "-a", "shop", "-n", "300").out())
          .contains("Maintenance mode enabled by").contains("Maintenance mode disabled by")
          .contains("code=maintenance");
    }
  }
}
