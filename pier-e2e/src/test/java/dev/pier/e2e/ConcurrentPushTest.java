package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two clones push to one app at the same moment, 20 times: one push wins, the other is refused
 * as stale, and what runs is always what {@code main} points at.
 */
class ConcurrentPushTest {
  @TempDir Path tmp;

  @Test
  void twoClonesPushingAtOnceReleaseOnlyTheWinnerAndMainMatchesWhatServes() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      pier.login();
      Path a = pier.repo("race-a", app("base"));
      PlatformHarness.check(pier.cli(a, "apps:create", "race"));
      PlatformHarness.check(pier.git(a, "push", "-q", "pier", "main"));
      Path b = tmp.resolve("src").resolve("race-b");
      PlatformHarness.check(pier.git(tmp.resolve("src"), "clone", "-q", pier.apiUrl() + "/git/race.git", "race-b"));
      PlatformHarness.check(pier.git(b, "remote", "add", "pier", pier.apiUrl() + "/git/race.git"));
      assertThat(pier.awaitBody("race", "code=base", Duration.ofSeconds(30))).isTrue();

      int releasesBefore = releases(pier).size();
      int wins = 0;
      for (int round = 1; round <= 20; round++) {
        for (Path clone : List.of(a, b)) {
          PlatformHarness.check(pier.git(clone, "fetch", "-q", pier.apiUrl() + "/git/race.git", "main"));
          PlatformHarness.check(pier.git(clone, "reset", "-q", "--hard", "FETCH_HEAD"));
        }
        String tagA = "a" + round;
        String tagB = "b" + round;
        PlatformHarness.write(a, app(tagA));
        pier.commitAll(a, tagA);
        PlatformHarness.write(b, app(tagB));
        pier.commitAll(b, tagB);

        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<PlatformHarness.Result> pushA = push(pier, a, go);
        CompletableFuture<PlatformHarness.Result> pushB = push(pier, b, go);
        go.countDown();
        PlatformHarness.Result ra = pushA.join();
        PlatformHarness.Result rb = pushB.join();

        assertThat((ra.exit() == 0 ? 1 : 0) + (rb.exit() == 0 ? 1 : 0))
            .as("round %d: exactly one push wins\nA: %s\nB: %s", round, ra.all(), rb.all())
            .isEqualTo(1);
        boolean aWon = ra.exit() == 0;
        PlatformHarness.Result loser = aWon ? rb : ra;
        assertThat(loser.all()).as("the loser is told why").contains("fetch first");
        assertThat(loser.all()).doesNotContain("Released v");
        wins++;

        String winner = aWon ? tagA : tagB;
        String winnerCommit = head(pier, aWon ? a : b);
        String remoteMain = PlatformHarness.check(pier.git(a, "ls-remote", pier.apiUrl() + "/git/race.git",
            "refs/heads/main")).out().split("\\s+")[0];
        assertThat(remoteMain).as("round %d: main holds the winner's commit", round).isEqualTo(winnerCommit);
        for (int i = 0; i < 5; i++) {
          assertThat(pier.get("race", "/").body()).as("round %d: the router serves the winner", round)
              .contains("code=" + winner);
        }
      }
      assertThat(releases(pier)).as("one release per winning push, none for the refused ones")
          .hasSize(releasesBefore + wins);
      JsonNode doctor = api(pier, "/doctor");
      assertThat(doctor.path("ok").asBoolean()).as(doctor.toString()).isTrue();
    }
  }

  private static CompletableFuture<PlatformHarness.Result> push(PlatformHarness pier, Path clone, CountDownLatch go) {
    CompletableFuture<PlatformHarness.Result> result = new CompletableFuture<>();
    Thread.ofPlatform().start(() -> {
      try {
        go.await();
        result.complete(pier.git(clone, "push", "pier", "main"));
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  private static String head(PlatformHarness pier, Path clone) throws Exception {
    return PlatformHarness.check(pier.git(clone, "rev-parse", "HEAD")).out().trim();
  }

  private static List<JsonNode> releases(PlatformHarness pier) throws Exception {
    List<JsonNode> list = new ArrayList<>();
    api(pier, "/apps/race/releases").forEach(list::add);
    return list;
  }

  static JsonNode api(PlatformHarness pier, String path) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(pier.apiUrl() + path))
            .header("Authorization", "Bearer " + PlatformHarness.TOKEN).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body());
  }

  /** A dependency-free Procfile app that answers with its code name. */
  static Map<String, String> app(String code) {
    return Map.of(
        "Procfile", "web: node server.js\n",
        "server.js", """
            require('http').createServer((req, res) => res.end('code=%s\\n'))
              .listen(process.env.PORT);
            """.formatted(code));
  }
}
