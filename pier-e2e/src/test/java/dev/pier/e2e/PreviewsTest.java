package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.e2e.PlatformHarness.Response;
import dev.pier.e2e.PlatformHarness.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Branch previews (#10) with the real git client: a push of feature-x runs at
 * feature-x.APP.localhost only, with its own config vars, is replaced by the next push, sleeps when
 * idle and wakes on a request, and goes away with its branch.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.MethodName.class)
class PreviewsTest {
  @TempDir static Path tmp;
  PlatformHarness pier;
  Path repo;
  String previewHost = "feature-x.previewed.localhost";

  @BeforeAll
  void deployMainThenPushABranch() throws Exception {
    pier = new PlatformHarness(tmp);
    pier.login();
    repo = pier.repo("previewed", SampleApps.nodeHello(1));
    PlatformHarness.check(pier.cli(repo, "apps:create", "previewed"));
    Result main = PlatformHarness.check(pier.git(repo, "push", "pier", "main"));
    assertThat(main.err()).contains("deployed to Pier").doesNotContain("Preview");

    PlatformHarness.check(pier.git(repo, "checkout", "-q", "-b", "feature-x"));
    PlatformHarness.write(repo, SampleApps.nodeHello(2));
    pier.commitAll(repo, "feature x");
    long start = System.nanoTime();
    Result push = PlatformHarness.check(pier.git(repo, "push", "pier", "feature-x"));
    Response first = awaitPreview(previewHost, "\"version\":2", Duration.ofSeconds(30));
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.println("PreviewsTest: push of feature-x to first 200 at its preview URL: " + millis + " ms");
    assertThat(first.status()).isEqualTo(200);
    assertThat(push.err()).contains("remote: -----> Preview feature-x deployed to http://" + previewHost + ":"
        + pier.routerPort() + "/");
  }

  @AfterAll
  void stop() {
    pier.close();
  }

  @Test
  void a1_thePreviewAnswersOnlyAtItsOwnHostAndTheAppKeepsMain() throws Exception {
    assertThat(pier.request("GET", previewHost, "/", null).body()).contains("\"version\":2");
    for (int i = 0; i < 20; i++) assertThat(pier.get("previewed", "/").body()).contains("\"version\":1");
    int version = preview("feature-x").path("version").asInt();
    assertThat(pier.request("GET", "v" + version + ".previewed.localhost", "/", null).status()).isEqualTo(404);
    assertThat(pier.request("GET", "feature-x.nosuchapp.localhost", "/", null).status()).isEqualTo(404);

    String list = PlatformHarness.check(pier.cli(repo, "previews")).out();
    assertThat(list).containsPattern("(?m)^feature-x +http://" + previewHost.replace(".", "\\.") + ":\\d+/ +v"
        + version + " +[0-9a-f]{7} +running +");
    String versions = PlatformHarness.check(pier.cli(repo, "versions")).out();
    assertThat(versions).doesNotContain("v" + version + " ");
    assertThat(PlatformHarness.check(pier.cli(repo, "releases")).out()).contains("Preview feature-x");
    Result stop = pier.cli(repo, "versions:stop", "v" + version);
    assertThat(stop.exit()).isNotZero();
    assertThat(stop.err()).contains("built for a branch preview");
    Result split = pier.cli(repo, "traffic:split", "v1=50", "v" + version + "=50");
    assertThat(split.exit()).as("a preview never takes the app's traffic").isNotZero();
  }

  @Test
  void a2_aPreviewConfigVarReachesThePreviewOnly() throws Exception {
    Result set = PlatformHarness.check(pier.cli(repo, "config:set", "--preview", "feature-x", "GREETING=from-preview"));
    assertThat(set.out()).contains("restarting the preview of feature-x... done");
    assertThat(pier.request("GET", previewHost, "/", null).body()).contains("\"greeting\":\"from-preview\"");
    assertThat(pier.get("previewed", "/").body()).contains("\"greeting\":\"hello\"");
    assertThat(PlatformHarness.check(pier.cli(repo, "config", "--preview", "feature-x")).out())
        .contains("GREETING", "from-preview");
    assertThat(PlatformHarness.check(pier.cli(repo, "config")).out()).doesNotContain("from-preview");

    Result missing = pier.cli(repo, "config:set", "--preview", "no-such-branch", "A=1");
    assertThat(missing.exit()).isNotZero();
    assertThat(missing.err()).contains("No preview of branch 'no-such-branch'");
  }

  @Test
  void a3_pushingTheBranchAgainReplacesThePreviewWithoutAFailedRequest() throws Exception {
    PlatformHarness.write(repo, SampleApps.nodeHello(3));
    pier.commitAll(repo, "feature x, again");
    AtomicBoolean pushing = new AtomicBoolean(true);
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger served = new AtomicInteger();
    Thread poller = Thread.ofVirtual().start(() -> {
      while (pushing.get()) {
        try {
          if (pier.request("GET", previewHost, "/", null).status() == 200) served.incrementAndGet();
          else failed.incrementAndGet();
        } catch (Exception e) {
          failed.incrementAndGet();
        }
      }
    });
    Result push = PlatformHarness.check(pier.git(repo, "push", "pier", "feature-x"));
    pushing.set(false);
    poller.join();
    assertThat(push.err()).contains("Preview feature-x deployed to");
    Response now = pier.request("GET", previewHost, "/", null);
    assertThat(now.body()).contains("\"version\":3", "\"greeting\":\"from-preview\"");
    assertThat(pier.get("previewed", "/").body()).contains("\"version\":1");
    assertThat(failed.get()).as("requests failed while the preview was replaced").isZero();
    assertThat(served.get()).isPositive();
  }

  @Test
  void a4_aServerRestartBringsThePreviewBackAndKeepsItsConfigOutOfTheApps() throws Exception {
    pier.restart();
    Response preview = awaitPreview(previewHost, "\"version\":3", Duration.ofSeconds(30));
    assertThat(preview.body()).contains("\"greeting\":\"from-preview\"");
    assertThat(pier.awaitOk("previewed", "/", Duration.ofSeconds(30)).body()).contains("\"version\":1", "\"greeting\":\"hello\"");
    assertThat(PlatformHarness.check(pier.cli(repo, "config")).out()).doesNotContain("GREETING");
    assertThat(preview("feature-x").path("state").asText()).isEqualTo("running");
  }

  @Test
  void a5_aBranchWhoseNameCollidesAfterNormalisingGetsItsOwnHost() throws Exception {
    Result push = PlatformHarness.check(pier.git(repo, "push", "pier", "feature-x:Feature/X"));
    String label = preview("Feature/X").path("label").asText();
    assertThat(label).matches("feature-x-[0-9a-f]{6}");
    assertThat(push.err()).contains("Preview Feature/X deployed to http://" + label + ".previewed.localhost");
    assertThat(pier.request("GET", label + ".previewed.localhost", "/", null).body()).contains("\"version\":3")
        .contains("\"greeting\":\"hello\"");

    PlatformHarness.check(pier.cli(repo, "previews:destroy", "Feature/X"));
    assertThat(pier.request("GET", label + ".previewed.localhost", "/", null).status()).isEqualTo(404);
    Result delete = PlatformHarness.check(pier.git(repo, "push", "pier", ":Feature/X"));
    assertThat(delete.err()).doesNotContain("Preview");
  }

  @Test
  void a6_anIdlePreviewStopsAndTheNextRequestWakesIt() throws Exception {
    PlatformHarness.check(pier.cli(repo, "previews:settings", "--idle", "10s"));
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    while (!preview("feature-x").path("state").asText().equals("asleep") && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(preview("feature-x").path("state").asText()).isEqualTo("asleep");
    int version = preview("feature-x").path("version").asInt();
    assertThat(awaitNoInstanceOf(version, Duration.ofSeconds(20))).as("an asleep preview runs no instance").isTrue();
    PlatformHarness.check(pier.cli(repo, "previews:settings", "--idle", "7d"));
    long start = System.nanoTime();
    Response woken = pier.request("GET", previewHost, "/", null);
    System.out.println("PreviewsTest: first request to an asleep preview answered in "
        + (System.nanoTime() - start) / 1_000_000 + " ms");
    assertThat(woken.status()).isEqualTo(200);
    assertThat(woken.body()).contains("\"version\":3");
  }

  @Test
  void a6b_aPreviewReleaseAKillLeftWithoutItsPreviewRunsNothingAfterTheRestart() throws Exception {
    PlatformHarness.check(pier.git(repo, "push", "pier", "feature-x:crashy"));
    assertThat(awaitPreview("crashy.previewed.localhost", "\"version\":3", Duration.ofSeconds(30)).status()).isEqualTo(200);
    int version = preview("crashy").path("version").asInt();
    // A kill -9 between forgetting the preview and stopping its release (or between starting a
    // first build and recording its preview) leaves a running release no preview names.
    pier.restart(() -> {
      try (dev.pier.store.Database db = dev.pier.store.Database.open(pier.data.resolve("db"))) {
        db.transaction(c -> {
          try (var s = c.createStatement()) {
            return s.executeUpdate("DELETE FROM previews WHERE app = 'previewed' AND branch = 'crashy'");
          }
        });
      }
    });
    // Once the other preview of the app is back, the reconciler has acted on every version of it.
    assertThat(awaitPreview(previewHost, "\"version\":3", Duration.ofSeconds(30)).status()).isEqualTo(200);
    assertThat(instancesOf(version)).as("nothing runs for a preview nobody can see or stop").isZero();
    assertThat(pier.request("GET", "crashy.previewed.localhost", "/", null).status()).isEqualTo(404);
    assertThat(PlatformHarness.check(pier.cli(repo, "previews")).out()).doesNotContain("crashy");
  }

  @Test
  void a7_deletingTheBranchStopsAndRemovesThePreview() throws Exception {
    Result delete = PlatformHarness.check(pier.git(repo, "push", "pier", ":feature-x"));
    assertThat(delete.err()).contains("Preview feature-x stopped and removed");
    assertThat(pier.request("GET", previewHost, "/", null).status()).isEqualTo(404);
    assertThat(PlatformHarness.check(pier.cli(repo, "previews")).out()).contains("No previews of previewed");
    java.net.http.HttpResponse<String> gone = api("DELETE", "/apps/previewed/previews/feature-x", null);
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(gone.body()).contains("has no preview of branch 'feature-x'");
    assertThat(api("PUT", "/apps/previewed/preview-settings", "{\"idle_seconds\":1}").statusCode()).isEqualTo(422);
    assertThat(api("GET", "/apps/nosuchapp/previews", null).statusCode()).isEqualTo(404);
    assertThat(pier.get("previewed", "/").body()).contains("\"version\":1");
  }

  @Test
  void a8_twoPushesOfOneBranchAtOnceLeaveOnePreviewAndRefuseTheStaleOne() throws Exception {
    PlatformHarness.check(pier.git(repo, "checkout", "-q", "-b", "y1", "main"));
    PlatformHarness.write(repo, SampleApps.nodeHello(4));
    pier.commitAll(repo, "y one");
    PlatformHarness.check(pier.git(repo, "checkout", "-q", "-b", "y2", "main"));
    PlatformHarness.write(repo, SampleApps.nodeHello(5));
    pier.commitAll(repo, "y two");
    var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> push("y1:feature-y"), Thread::startVirtualThread);
    var second = java.util.concurrent.CompletableFuture.supplyAsync(() -> push("y2:feature-y"), Thread::startVirtualThread);
    Result a = first.get();
    Result b = second.get();
    assertThat(java.util.List.of(a.exit(), b.exit())).as(a.err() + b.err()).containsExactlyInAnyOrder(0, 1);
    Result refused = a.exit() == 0 ? b : a;
    assertThat(refused.err()).contains("fetch first");
    String winner = a.exit() == 0 ? "\"version\":4" : "\"version\":5";
    assertThat(pier.request("GET", "feature-y.previewed.localhost", "/", null).body()).contains(winner);
    JsonNode list = new ObjectMapper().readTree(PlatformHarness.check(pier.cli(repo, "previews", "--json")).out());
    assertThat(list.path("previews")).hasSize(1);
  }

  @Test
  void a9_destroyingTheAppRemovesItsPreviews() throws Exception {
    PlatformHarness.check(pier.cli(repo, "apps:destroy", "-a", "previewed", "--confirm", "previewed"));
    assertThat(pier.request("GET", "feature-y.previewed.localhost", "/", null).status()).isEqualTo(404);
    PlatformHarness.check(pier.cli(repo, "apps:create", "previewed"));
    JsonNode list = new ObjectMapper().readTree(PlatformHarness.check(pier.cli(repo, "previews", "--json")).out());
    assertThat(list.path("previews")).isEmpty();
    JsonNode ps = new ObjectMapper().readTree(PlatformHarness.check(pier.cli(repo, "ps", "--json")).out());
    assertThat(ps).as("the preview's process is gone with the app").isEmpty();
  }

  /** Instances (any state) of release {@code version} of the app, from {@code ps --json}. */
  private int instancesOf(int version) throws Exception {
    JsonNode list = new ObjectMapper().readTree(PlatformHarness.check(pier.cli(repo, "ps", "--json")).out());
    int n = 0;
    for (JsonNode instance : list) if (instance.path("release").asInt() == version) n++;
    return n;
  }

  private boolean awaitNoInstanceOf(int version, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (instancesOf(version) > 0) {
      if (System.nanoTime() > deadline) return false;
      Thread.sleep(100);
    }
    return true;
  }

  private java.net.http.HttpResponse<String> api(String method, String path, String body) throws Exception {
    var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(pier.apiUrl() + path))
        .header("Authorization", "Bearer " + PlatformHarness.TOKEN)
        .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
            : java.net.http.HttpRequest.BodyPublishers.ofString(body));
    try (var http = java.net.http.HttpClient.newHttpClient()) {
      return http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }
  }

  private Result push(String refspec) {
    try {
      return pier.git(repo, "push", "pier", refspec);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode preview(String branch) throws Exception {
    JsonNode list = new ObjectMapper().readTree(PlatformHarness.check(pier.cli(repo, "previews", "--json")).out());
    for (JsonNode p : list.path("previews")) {
      if (p.path("branch").asText().equals(branch)) return p;
    }
    throw new AssertionError("no preview of " + branch + " in " + list);
  }

  private Response awaitPreview(String host, String text, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Response last = null;
    while (System.nanoTime() < deadline) {
      last = pier.request("GET", host, "/", null);
      if (last.status() == 200 && last.body().contains(text)) return last;
      Thread.sleep(20);
    }
    return last;
  }
}
