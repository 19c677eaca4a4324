package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.e2e.PlatformHarness.Response;
import dev.pier.e2e.PlatformHarness.Result;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Versions side by side: no-promote URLs, traffic splits, stopping versions, bad boots. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.MethodName.class)
class VersionsTest {
  @TempDir static Path tmp;
  PlatformHarness pier;
  Path repo;

  @BeforeAll
  void deployTwoVersions() throws Exception {
    pier = new PlatformHarness(tmp, s -> s.withBootTimeout(Duration.ofSeconds(5)));
    pier.login();
    repo = pier.repo("splitty", SampleApps.nodeHello(1));
    PlatformHarness.check(pier.cli(repo, "apps:create", "splitty"));
    PlatformHarness.check(pier.git(repo, "push", "pier", "main"));
    PlatformHarness.write(repo, SampleApps.nodeHello(2));
    pier.commitAll(repo, "v2");
    Result push = PlatformHarness.check(pier.git(repo, "push", "-o", "no-promote", "pier", "main"));
    assertThat(push.err()).contains("http://v2.splitty.localhost");
  }

  @AfterAll
  void stop() {
    pier.close();
  }

  @Test
  void aNoPromoteVersionAnswersOnlyAtItsVersionUrl() throws Exception {
    Response v2 = pier.request("GET", "v2.splitty.localhost", "/", null);
    assertThat(v2.body()).contains("\"version\":2");
    for (int i = 0; i < 50; i++) assertThat(pier.get("splitty", "/").body()).contains("\"version\":1");
    Result versions = PlatformHarness.check(pier.cli(repo, "versions"));
    assertThat(versions.out()).containsPattern("(?m)^v1 .*100%").containsPattern("(?m)^v2 .*0%");
  }

  @Test
  void aPsListsEachVersionApartAndRestartsOneVersionsInstanceByItsQualifiedName() throws Exception {
    String ps = PlatformHarness.check(pier.cli(repo, "ps")).out();
    assertThat(ps).contains("=== web (1) v2 (0% of traffic)", "=== web (1) v1 (100% of traffic)", "web.1@v1: up",
        "web.1@v2: up").doesNotContain("web (2)");

    Result ambiguous = pier.cli(repo, "ps:restart", "web.1");
    assertThat(ambiguous.exit()).isNotZero();
    assertThat(ambiguous.err()).contains("web.1@v1", "web.1@v2");

    Map<String, String> before = startTimes();
    Result restart = PlatformHarness.check(pier.cli(repo, "ps:restart", "web.1@v2"));
    assertThat(restart.out()).contains("done: web.1@v2");
    Map<String, String> after = startTimes();
    assertThat(after.get("web.1@v1")).isEqualTo(before.get("web.1@v1"));
    assertThat(after.get("web.1@v2")).isNotNull().isNotEqualTo(before.get("web.1@v2"));
    assertThat(after).hasSize(2);
  }

  /** Each formation instance's start time by its qualified name (web.1@v2), from ps --json. */
  private Map<String, String> startTimes() throws Exception {
    JsonNode list = new ObjectMapper().readTree(PlatformHarness.check(pier.cli(repo, "ps", "--json")).out());
    Map<String, String> times = new java.util.TreeMap<>();
    for (JsonNode instance : list) {
      if (!instance.path("one_off").asBoolean()) {
        times.put(instance.path("name").asText() + "@" + instance.path("version").asText(),
            instance.path("started_at").asText());
      }
    }
    return times;
  }

  @Test
  void randomSplitLandsWithinThreePointsOfTheShares() throws Exception {
    PlatformHarness.check(pier.cli(repo, "traffic:split", "v1=90", "v2=10"));
    int v2 = 0;
    for (int i = 0; i < 2000; i++) {
      Response r = pier.get("splitty", "/");
      assertThat(r.status()).isEqualTo(200);
      if (r.body().contains("\"version\":2")) v2++;
    }
    assertThat(v2 / 20.0).isBetween(7.0, 13.0);
    PlatformHarness.check(pier.cli(repo, "traffic:migrate", "v1"));
  }

  @Test
  void cookieSplitKeepsEachClientOnOneVersion() throws Exception {
    PlatformHarness.check(pier.cli(repo, "traffic:split", "v1=50", "v2=50", "--split-by", "cookie"));
    int onV2 = 0;
    for (int client = 0; client < 100; client++) {
      Response first = pier.get("splitty", "/");
      String setCookie = first.headers().get("set-cookie");
      assertThat(setCookie).startsWith("pier_split=");
      String cookie = setCookie.split(";")[0];
      Set<String> seen = new HashSet<>();
      seen.add(version(first.body()));
      int rounds = client == 0 ? 50 : 5;
      for (int i = 0; i < rounds; i++) seen.add(version(getWithCookie(cookie).body()));
      assertThat(seen).as("client " + client).hasSize(1);
      if (seen.contains("2")) onV2++;
    }
    assertThat(onV2).isBetween(30, 70);
    PlatformHarness.check(pier.cli(repo, "traffic:split", "v1=100", "--split-by", "random"));
  }

  @Test
  void badSplitsAndStoppingAServingVersionAreRefused() throws Exception {
    Result sum = pier.cli(repo, "traffic:split", "v1=50", "v2=40");
    assertThat(sum.exit()).isNotZero();
    assertThat(sum.err()).contains("100");
    Result unknown = pier.cli(repo, "traffic:split", "v1=50", "v99=50");
    assertThat(unknown.exit()).isNotZero();
    assertThat(unknown.err()).contains("v99");
    Result serving = pier.cli(repo, "versions:stop", "v1");
    assertThat(serving.exit()).isNotZero();
    assertThat(serving.err()).contains("traffic");
    assertThat(pier.get("splitty", "/").status()).isEqualTo(200);
  }

  @Test
  void aStoppedVersionRunsNothingUntilStartedAgain() throws Exception {
    PlatformHarness.check(pier.cli(repo, "versions:stop", "v2"));
    assertThat(pier.request("GET", "v2.splitty.localhost", "/", null).status()).isIn(404, 503);
    assertThat(pier.cli(repo, "ps").out()).doesNotContain("v2");
    PlatformHarness.check(pier.cli(repo, "versions:start", "v2"));
    assertThat(pier.request("GET", "v2.splitty.localhost", "/", null).body()).contains("\"version\":2");
  }

  @Test
  void releasesThatCrashOrNeverListenAreRefusedWhileThePreviousOneServes() throws Exception {
    Path bad = pier.repo("crashy", Map.of("package.json", "{\"name\":\"c\",\"scripts\":{\"start\":\"node server.js\"}}",
        "server.js", "console.error('Error: boom at boot'); process.exit(1);\n"));
    PlatformHarness.check(pier.cli(bad, "apps:create", "crashy"));
    Result first = pier.git(bad, "push", "pier", "main");
    assertThat(first.exit()).isNotZero();
    assertThat(first.err()).contains("boom at boot").contains("the app has no release serving yet")
        .doesNotContain("previous release");
    PlatformHarness.write(bad, SampleApps.nodeHello(1));
    pier.commitAll(bad, "good");
    PlatformHarness.check(pier.git(bad, "push", "pier", "main"));

    PlatformHarness.write(bad, Map.of("server.js", "console.error('Error: boom at boot'); process.exit(1);\n"));
    pier.commitAll(bad, "crash at boot");
    Result crash = pier.git(bad, "push", "pier", "main");
    assertThat(crash.exit()).isNotZero();
    assertThat(crash.err()).contains("boom at boot").contains("previous release keeps serving");
    assertThat(pier.get("crashy", "/").body()).contains("\"version\":1");

    PlatformHarness.write(bad, Map.of("server.js", "console.log('not listening'); setInterval(() => {}, 1000);\n"));
    pier.commitAll(bad, "never listens");
    Result silent = pier.git(bad, "push", "pier", "main");
    assertThat(silent.exit()).isNotZero();
    assertThat(silent.err()).contains("did not become ready");
    assertThat(pier.get("crashy", "/").body()).contains("\"version\":1");
    assertThat(pier.cli(bad, "releases").out()).contains("failed");
  }

  @Test
  void rollingBackToAReleaseWhoseSlugIsGoneIsRefused() throws Exception {
    Path app = pier.repo("sluggy", SampleApps.nodeHello(1));
    PlatformHarness.check(pier.cli(app, "apps:create", "sluggy"));
    PlatformHarness.check(pier.git(app, "push", "pier", "main"));
    java.util.List<Path> slugs;
    try (var files = java.nio.file.Files.list(pier.data.resolve("slugs/sluggy"))) {
      slugs = files.toList();
    }
    assertThat(slugs).hasSize(1);
    PlatformHarness.write(app, SampleApps.nodeHello(2));
    pier.commitAll(app, "v2");
    PlatformHarness.check(pier.git(app, "push", "pier", "main"));
    java.nio.file.Files.delete(slugs.getFirst());
    Result rollback = pier.cli(app, "rollback", "v1");
    assertThat(rollback.exit()).isNotZero();
    assertThat(rollback.err()).contains("slug of v1 is gone");
    assertThat(pier.get("sluggy", "/").body()).contains("\"version\":2");
    assertThat(pier.cli(app, "releases").out()).doesNotContain("v3");
  }

  @Test
  void aReadinessPathThatNeverAnswers2xxKeepsTheNewReleaseFromTraffic() throws Exception {
    Path app = pier.repo("checked", SampleApps.nodeHello(1));
    PlatformHarness.check(pier.cli(app, "apps:create", "checked"));
    PlatformHarness.check(pier.git(app, "push", "pier", "main"));
    PlatformHarness.check(pier.cli(app, "healthcheck:set", "/not-ready"));
    assertThat(pier.cli(app, "healthcheck").out()).contains("/not-ready");
    PlatformHarness.write(app, Map.of("server.js", """
        require('http').createServer((req, res) => {
          if (req.url === '/not-ready') { res.statusCode = 503; return res.end('warming up'); }
          res.end('{"version":2}');
        }).listen(process.env.PORT);
        """));
    pier.commitAll(app, "v2 with a readiness path that fails");
    Result push = pier.git(app, "push", "pier", "main");
    assertThat(push.exit()).isNotZero();
    assertThat(push.err()).contains("did not become ready");
    assertThat(pier.get("checked", "/").body()).contains("\"version\":1");

    PlatformHarness.check(pier.cli(app, "healthcheck:set", "/"));
    PlatformHarness.write(app, Map.of("README", "retry\n"));
    pier.commitAll(app, "retry");
    PlatformHarness.check(pier.git(app, "push", "pier", "main"));
    assertThat(pier.get("checked", "/").body()).contains("\"version\":2");
    PlatformHarness.check(pier.cli(app, "healthcheck:unset"));
    assertThat(pier.cli(app, "healthcheck").out()).contains("No readiness path");
  }

  private Response getWithCookie(String cookie) throws IOException {
    try (Socket s = new Socket("127.0.0.1", pier.routerPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("GET / HTTP/1.1\r\nHost: splitty.localhost\r\nCookie: " + cookie
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return PlatformHarness.parse(s.getInputStream().readAllBytes());
    }
  }

  private static String version(String body) {
    return body.replaceAll("(?s).*\"version\":(\\d+).*", "$1");
  }
}
