package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.e2e.PlatformHarness.Result;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scheduled jobs end to end: a real server, a real git push of an app with a cron.yaml, command
 * jobs run as sandboxed one-off instances, URL jobs through the real router.
 *
 * <p>So that minute schedules fire within seconds, the scheduler's clock runs {@value #SCALE}
 * times faster than real time (system property {@code pier.cron.clockScale}, read only by the
 * scheduler): a scheduled minute is 3 real seconds. Schedules, overlap, catch-up and history go
 * through the same code as on the system clock; durations shown are in scheduler time.
 */
class CronTest {
  private static final int SCALE = 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @BeforeAll
  static void fastClock() {
    System.setProperty("pier.cron.clockScale", Integer.toString(SCALE));
  }

  @AfterAll
  static void realClock() {
    System.clearProperty("pier.cron.clockScale");
  }

  /** An app that counts the requests to /tasks/tick and shows which X-Pier-Cron values reached it. */
  private static Map<String, String> app() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("package.json", """
        { "name": "cronapp", "version": "1.0.0", "private": true, "scripts": { "start": "node server.js" } }
        """);
    files.put("server.js", """
        const http = require('http');
        const ticks = [];
        http.createServer((req, res) => {
          const cron = req.headers['x-pier-cron'] === undefined ? null : req.headers['x-pier-cron'];
          const key = req.headers['x-pier-cron-key'] === undefined ? null : req.headers['x-pier-cron-key'];
          if (req.url === '/tasks/tick') ticks.push(cron);
          res.setHeader('Content-Type', 'application/json');
          res.end(JSON.stringify({ url: req.url, cron: cron, key: key, ticks: ticks }));
        }).listen(process.env.PORT);
        """);
    files.put("cron.yaml", """
        cron:
        - description: tick every minute
          url: /tasks/tick
          schedule: every 1 minutes
        """);
    return files;
  }

  @Test
  void minuteJobsRunWithHistoryNeverOverlapCatchUpAfterARestartAndOnlyPierSendsXPierCron() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      pier.login();
      Path repo = pier.repo("cronapp", app());
      PlatformHarness.check(pier.cli(repo, "apps:create", "cronapp"));
      PlatformHarness.check(pier.cli(repo, "git:remote", "-a", "cronapp"));
      Result push = pier.git(repo, "push", "pier", "main");
      assertThat(push.exit()).as(push.all()).isZero();
      assertThat(push.err()).contains("cron.yaml: 1 scheduled URL job");
      pier.awaitOk("cronapp", "/", Duration.ofSeconds(30));

      Result added = PlatformHarness.check(pier.cli(repo, "cron:add", "* * * * *", "echo cron-job-ran-in $PWD", "-a", "cronapp"));
      assertThat(added.out()).startsWith("Added job ").contains("at * * * * * (UTC)");
      String every = added.out().split(" ")[2];
      Result bad = pier.cli(repo, "cron:add", "61 * * * *", "echo never", "-a", "cronapp");
      assertThat(bad.exit()).isNotZero();
      assertThat(bad.err()).contains("invalid cron expression '61 * * * *': ");

      // cron.yaml's URL job reaches the app through the router, marked X-Pier-Cron: true ...
      JsonNode stats = awaitJson(pier, "/", s -> s.get("ticks").size() >= 2, Duration.ofSeconds(20));
      assertThat(stats.get("ticks").get(0).asText()).isEqualTo("true");
      // ... and a client cannot send that header (nor the router's key header) itself.
      JsonNode forged = JSON.readTree(rawGet(pier, "/forged", "X-Pier-Cron: true\r\nX-Pier-Cron-Key: guessed\r\n"));
      assertThat(forged.get("url").asText()).isEqualTo("/forged");
      assertThat(forged.get("cron").isNull()).as(forged.toString()).isTrue();
      assertThat(forged.get("key").isNull()).isTrue();

      // The every-minute command job runs as one-off instances; its history is kept.
      JsonNode runs = awaitRuns(pier, every, r -> count(r, "succeeded") >= 2, Duration.ofSeconds(30));
      JsonNode done = first(runs, "succeeded");
      assertThat(done.get("exit_code").asInt()).isZero();
      assertThat(done.get("instance").asText()).startsWith("scheduler.");
      Result history = PlatformHarness.check(pier.cli(repo, "cron:runs", every, "-a", "cronapp"));
      assertThat(history.out()).contains("succeeded (exit 0)").contains("pier logs -a cronapp --dyno " + done.get("instance").asText());
      Result logs = PlatformHarness.check(pier.cli(repo, "logs", "-a", "cronapp", "--dyno", done.get("instance").asText()));
      assertThat(logs.out()).contains("cron-job-ran-in /app").contains("Job " + every + " succeeded");
      Result list = PlatformHarness.check(pier.cli(repo, "cron", "-a", "cronapp"));
      assertThat(list.out()).contains("every 1 minutes").contains("GET /tasks/tick").contains("echo cron-job-ran-in $PWD");

      // Overlap: a job still running is not started again; the skip is in its history.
      Result slow = PlatformHarness.check(pier.cli(repo, "cron:add", "0 0 1 1 *", "sleep 5", "-a", "cronapp"));
      String sleeper = slow.out().split(" ")[2];
      assertThat(PlatformHarness.check(pier.cli(repo, "cron:run", sleeper, "-a", "cronapp")).out()).contains("Started run ");
      Result again = pier.cli(repo, "cron:run", sleeper, "-a", "cronapp");
      assertThat(again.exit()).as(again.all()).isEqualTo(1);
      assertThat(again.out()).contains("Job " + sleeper + " skipped: still running");
      JsonNode sleeps = awaitRuns(pier, sleeper, r -> count(r, "succeeded") == 1, Duration.ofSeconds(20));
      assertThat(count(sleeps, "skipped")).isEqualTo(1);
      assertThat(sleeps.size()).isEqualTo(2);

      // Catch-up: minutes missed while Pier is down run once when it is back.
      pier.restart(Duration.ofSeconds(4)); // 80 scheduler seconds: at least one missed minute
      JsonNode after = awaitRuns(pier, every, r -> first(r, "catch-up") != null
          && "succeeded".equals(first(r, "catch-up").get("status").asText()), Duration.ofSeconds(30));
      assertThat(count(after, "catch-up")).as(after.toString()).isEqualTo(1);

      // A malformed cron.yaml fails the push, naming file and line; the release before keeps serving.
      PlatformHarness.write(repo, Map.of("cron.yaml", "cron:\n- url: /tasks/tick\n  schedule: every mondy 09:00\n"));
      pier.commitAll(repo, "typo");
      Result rejected = pier.git(repo, "push", "pier", "main");
      assertThat(rejected.exit()).isNotZero();
      assertThat(rejected.err()).contains("cron.yaml line 3: schedule 'every mondy 09:00': unknown day 'mondy'");
      assertThat(pier.get("cronapp", "/").status()).isEqualTo(200);
    }
  }

  private static JsonNode awaitRuns(PlatformHarness pier, String job, Predicate<JsonNode> done, Duration timeout)
      throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    JsonNode runs = null;
    while (System.nanoTime() < end) {
      Result r = pier.cli(pier.root, "cron:runs", job, "-a", "cronapp", "--json", "-n", "100");
      if (r.exit() == 0) {
        runs = JSON.readTree(r.out());
        if (done.test(runs)) return runs;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("runs of job " + job + " never matched: " + runs);
  }

  private static JsonNode awaitJson(PlatformHarness pier, String path, Predicate<JsonNode> done, Duration timeout)
      throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < end) {
      PlatformHarness.Response r = pier.get("cronapp", path);
      if (r.status() == 200) {
        last = JSON.readTree(r.body());
        if (done.test(last)) return last;
      }
      Thread.sleep(300);
    }
    throw new AssertionError(path + " never matched: " + last);
  }

  /** Runs whose status or trigger is {@code what}. */
  private static int count(JsonNode runs, String what) {
    int n = 0;
    for (JsonNode r : runs) if (what.equals(r.get("status").asText()) || what.equals(r.get("trigger").asText())) n++;
    return n;
  }

  private static JsonNode first(JsonNode runs, String what) {
    for (JsonNode r : runs) if (what.equals(r.get("status").asText()) || what.equals(r.get("trigger").asText())) return r;
    return null;
  }

  private static String rawGet(PlatformHarness pier, String path, String extraHeaders) throws Exception {
    try (Socket s = new Socket("127.0.0.1", pier.routerPort())) {
      s.setSoTimeout(15_000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: cronapp.localhost\r\n" + extraHeaders + "Connection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      PlatformHarness.Response r = PlatformHarness.parse(s.getInputStream().readAllBytes());
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      return r.body();
    }
  }
}
