package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.e2e.PlatformHarness.Result;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Logs (live, searchable, drained), metrics, transactions and Prometheus, from real traffic. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.MethodName.class)
class ObservabilityTest {
  @TempDir static Path tmp;
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  PlatformHarness pier;
  Path repo;

  static Map<String, String> app() {
    return Map.of(
        "Procfile", "web: node server.js\n",
        "server.js", """
            const http = require('http');
            http.createServer((req, res) => {
              const url = new URL(req.url, 'http://x');
              if (url.pathname === '/stamp') { console.log(url.searchParams.get('text') + ' written=' + Date.now()); return res.end('stamped'); }
              if (url.pathname === '/say') { console.log(url.searchParams.get('text')); return res.end('said'); }
              if (url.pathname === '/error') { console.error('TypeError: boom in handler'); res.statusCode = 500; return res.end('oops'); }
              if (url.pathname === '/spam') { for (let i = 0; i < 20000; i++) console.log('spam line ' + i); return res.end('spammed'); }
              const ms = Number(url.searchParams.get('ms') || 0);
              setTimeout(() => res.end('slept ' + ms), ms);
            }).listen(process.env.PORT);
            """);
  }

  @BeforeAll
  void deploy() throws Exception {
    // The drain receivers listen on loopback: allowed as an operator would (PIER_ALLOW_LOCAL_DRAINS=1).
    pier = new PlatformHarness(tmp, s -> s.withAllowLocalDrains(true));
    pier.login();
    repo = pier.repo("watched", app());
    PlatformHarness.check(pier.cli(repo, "apps:create", "watched"));
    PlatformHarness.check(pier.git(repo, "push", "pier", "main"));
    assertThat(pier.awaitOk("watched", "/", Duration.ofSeconds(20)).status()).isEqualTo(200);
  }

  @AfterAll
  void stop() {
    pier.close();
  }

  @Test
  void aConsoleLogLineReachesTheServerSentEventStreamQuickly() throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(pier.apiUrl() + "/apps/watched/logs/stream?lines=0"))
        .header("Authorization", "Bearer " + PlatformHarness.TOKEN).build();
    HttpResponse<Stream<String>> resp = HTTP.send(req, HttpResponse.BodyHandlers.ofLines());
    assertThat(resp.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
    String marker = "sse-" + UUID.randomUUID();
    CompletableFuture<Long> arrived = CompletableFuture.supplyAsync(() -> {
      resp.body().filter(l -> l.startsWith("data: ") && l.contains(marker)).findFirst();
      return System.nanoTime();
    }, r -> Thread.ofVirtual().start(r));
    long sent = System.nanoTime();
    pier.get("watched", "/say?text=" + marker);
    long at = arrived.get(10, TimeUnit.SECONDS);
    System.out.printf("console.log -> SSE reader: %.1f ms%n", (at - sent) / 1e6);
    resp.body().close();
  }

  /**
   * The bound for "live": a line an instance writes is printed by {@code pier logs --tail}
   * within a second. The app stamps each line with its own clock when it writes it; the test
   * stamps it when the CLI prints it (same machine, same clock). Typically ~20 ms.
   */
  @Test
  void aConsoleLogLineReachesLogsTailWithinASecond() throws Exception {
    TimedLines tail = new TimedLines();
    Thread follower = Thread.ofVirtual().start(() -> dev.pier.cli.PierCli.run(
        new String[] {"logs", "--tail", "-a", "watched", "-n", "1"}, tail.stream, tail.stream,
        Map.of("HOME", pier.home.toString(), "PATH", System.getenv("PATH")), repo, java.io.InputStream.nullInputStream()));
    try {
      // Connected once a first line comes through.
      String ready = "tail-ready-" + UUID.randomUUID();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (tail.await(ready, 200) == null) {
        assertThat(System.nanoTime()).as("logs --tail printed nothing within 20 s").isLessThan(deadline);
        pier.get("watched", "/say?text=" + ready);
      }
      List<Long> lags = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String marker = "tail-" + i + "-" + UUID.randomUUID();
        pier.get("watched", "/stamp?text=" + marker);
        // The router's access line names the marker too (in its path) and may come first.
        TimedLines.Line line = tail.await("app[web.1]: " + marker, 10_000);
        assertThat(line).as("line " + marker + " printed by logs --tail").isNotNull();
        assertThat(line.text()).contains("app[web.1]: " + marker);
        long written = Long.parseLong(line.text().replaceAll(".* written=(\\d+).*", "$1"));
        lags.add(line.printedAtMillis() - written);
      }
      System.out.println("console.log -> pier logs --tail, ms: " + lags);
      assertThat(lags).allSatisfy(lag -> assertThat(lag).isLessThan(1000));
    } finally {
      follower.interrupt();
    }
  }

  /** What a CLI prints, line by line, each with the wall-clock time it was printed. */
  static final class TimedLines {
    record Line(String text, long printedAtMillis) {}

    private final java.util.concurrent.BlockingQueue<Line> lines = new java.util.concurrent.LinkedBlockingQueue<>();
    private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();
    final java.io.PrintStream stream = new java.io.PrintStream(new java.io.OutputStream() {
      @Override
      public synchronized void write(int b) {
        if (b != '\n') {
          partial.write(b);
          return;
        }
        lines.add(new Line(partial.toString(StandardCharsets.UTF_8), System.currentTimeMillis()));
        partial.reset();
      }
    }, true, StandardCharsets.UTF_8);

    /** The first line containing {@code text} within {@code millis}, skipping others; null if none. */
    Line await(String text, long millis) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      while (true) {
        Line line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) return null;
        if (line.text().contains(text)) return line;
      }
    }
  }

  @Test
  void logsShowOnlyTheSourceAndInstanceAsked() throws Exception {
    String marker = "filtered-" + UUID.randomUUID();
    pier.get("watched", "/say?text=" + marker);
    // A line is stored moments after its response (the access log takes lines in batches): asked
    // for again until it is there, within a bound far above that.
    Result router = pier.logsUntil(repo, marker, "logs", "--source", "router", "-n", "20");
    assertThat(router.out().lines().toList()).isNotEmpty()
        .allSatisfy(l -> assertThat(l).contains(" pier[router]: "));
    assertThat(router.out()).contains("path=\"/say?text=" + marker + "\"");

    Result app = pier.logsUntil(repo, marker, "logs", "--source", "app", "--dyno", "web", "-n", "5");
    assertThat(app.out().lines().toList()).isNotEmpty()
        .allSatisfy(l -> assertThat(l).contains(" app[web.1]: "));
    assertThat(app.out()).contains(marker);

    Result bad = pier.cli(repo, "logs", "--dyno", "web 1");
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.err()).contains("dyno must be an instance such as web.1");
  }

  @Test
  void searchFindsLinesByWordAndSource() throws Exception {
    pier.get("watched", "/error");
    String unique = "needle" + UUID.randomUUID().toString().replace("-", "");
    pier.get("watched", "/say?text=" + unique);
    // The router's line can be searchable before the app's (each source is written on its own).
    Result found = awaitSearch(unique, "app[web.1]: " + unique);
    assertThat(found.out()).contains("app[web.1]: " + unique);
    Result typeError = PlatformHarness.check(pier.cli(repo, "logs:search", "TypeError", "--source", "app"));
    assertThat(typeError.out()).contains("TypeError: boom in handler").doesNotContain("pier[router]");
    Result router = PlatformHarness.check(pier.cli(repo, "logs:search", "error", "--source", "router"));
    assertThat(router.out()).contains("pier[router]").contains("path=\"/error\"");
    // A request id finds that request's router line, and only it.
    String id = pier.get("watched", "/say?text=by-id").headers().get("x-request-id");
    Result byId = awaitSearch(id, id);
    assertThat(byId.out().lines().filter(l -> l.contains(id)).toList()).singleElement().asString()
        .contains("pier[router]").contains("request_id=" + id).contains("status=200");
    Result byStatus = PlatformHarness.check(pier.cli(repo, "logs:search", "status=200", "--source", "router"));
    assertThat(byStatus.out()).contains("request_id=" + id);
    Result bad = pier.cli(repo, "logs:search", "x", "--since", "yesterday");
    assertThat(bad.exit()).isNotZero();
  }

  @Test
  void metricsPercentilesFollowTheAppsLatencyDistribution() throws Exception {
    Path timed = pier.repo("timed", app());
    PlatformHarness.check(pier.cli(timed, "apps:create", "timed"));
    PlatformHarness.check(pier.git(timed, "push", "pier", "main"));
    for (int i = 0; i < 90; i++) assertThat(pier.get("timed", "/?ms=20").status()).isEqualTo(200);
    for (int i = 0; i < 10; i++) assertThat(pier.get("timed", "/?ms=300").status()).isEqualTo(200);
    // The router records a request once its response is written, which can be just after the
    // client has read it: sample until the last one is in (bounded).
    JsonNode metrics;
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    do {
      pier.sampleMetricsNow();
      metrics = api("/apps/timed/metrics?since=1h");
    } while (metrics.get("summary").get("requests").asLong() < 100 && System.nanoTime() < deadline);
    JsonNode summary = metrics.get("summary");
    assertThat(summary.get("requests").asLong()).isEqualTo(100);
    assertThat(summary.get("p50_ms").asLong()).isBetween(20L, 40L);
    assertThat(summary.get("p99_ms").asLong()).isBetween(300L, 340L);
    assertThat(metrics.get("points").size()).isGreaterThan(0);
    JsonNode instances = metrics.get("instances");
    assertThat(instances.size()).isGreaterThan(0);
    assertThat(instances.get(0).get("rss_bytes").asLong()).isGreaterThan(1_000_000);
    Result cli = PlatformHarness.check(pier.cli(timed, "metrics"));
    assertThat(cli.out()).contains("p95");
  }

  @Test
  void transactionsGroupIdsAndPrometheusExposesEveryApp() throws Exception {
    for (int i = 1; i <= 5; i++) pier.get("watched", "/users/" + i * 1000);
    pier.get("watched", "/users/4f1c2b7a-8e3d-4c1b-9a2e-0f6b7c8d9e0a");
    // Requests are recorded just after their responses (in batches): asked again until all six are in.
    JsonNode tx = api("/apps/watched/transactions");
    for (long deadline = System.nanoTime() + 10_000_000_000L;
        !tx.toString().contains("\"route\":\"/users/:id\",\"count\":6") && System.nanoTime() < deadline; ) {
      Thread.sleep(200);
      tx = api("/apps/watched/transactions");
    }
    boolean grouped = false;
    for (JsonNode t : tx) {
      if (t.get("route").asText().equals("/users/:id")) {
        grouped = true;
        assertThat(t.get("count").asLong()).isEqualTo(6);
      }
    }
    assertThat(grouped).as(tx.toString()).isTrue();
    pier.sampleMetricsNow();
    HttpResponse<String> prom = HTTP.send(HttpRequest.newBuilder(URI.create(pier.apiUrl() + "/metrics"))
        .header("Authorization", "Bearer " + PlatformHarness.TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(prom.statusCode()).isEqualTo(200);
    assertThat(prom.body()).contains("# TYPE pier_http_requests_total counter")
        .containsPattern("pier_http_requests_total\\{[^}]*app=\"watched\"")
        .contains("pier_apps");
    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(pier.apiUrl() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
  }

  @Test
  void drainsGetTheStreamAndADeadDrainSlowsNothing() throws Exception {
    int deadPort;
    try (ServerSocket closed = new ServerSocket(0)) {
      deadPort = closed.getLocalPort(); // nothing listens there once closed
    }
    long baseline = timeRequests(200);
    // live reads everything; stuck lets the kernel accept the connection but never reads, so its
    // socket buffer fills (a drain that blocked would hold the app, the router or the platform);
    // dead refuses connections.
    try (ServerSocket live = new ServerSocket(0); ServerSocket stuck = new ServerSocket(0, 50)) {
      PlatformHarness.check(pier.cli(repo, "drains:add", "syslog+tcp://127.0.0.1:" + live.getLocalPort()));
      PlatformHarness.check(pier.cli(repo, "drains:add", "syslog+tcp://127.0.0.1:" + stuck.getLocalPort()));
      PlatformHarness.check(pier.cli(repo, "drains:add", "syslog+tcp://127.0.0.1:" + deadPort));
      CompletableFuture<List<String>> received = CompletableFuture.supplyAsync(() -> {
        List<String> frames = new ArrayList<>();
        try (Socket s = live.accept()) {
          s.setSoTimeout(20_000);
          BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
          char[] buf = new char[8192];
          StringBuilder all = new StringBuilder();
          while (!all.toString().contains("drained-marker")) {
            int n = in.read(buf);
            if (n < 0) break;
            all.append(buf, 0, n);
          }
          frames.add(all.toString());
        } catch (Exception e) {
          frames.add("error: " + e);
        }
        return frames;
      }, r -> Thread.ofVirtual().start(r));
      assertThat(pier.get("watched", "/spam").body()).isEqualTo("spammed"); // 20,000 lines, some MB of syslog frames
      long withBadDrains = timeRequests(200);
      System.out.printf("200 requests: %d ms without drains, %d ms with a stuck and a dead drain attached%n",
          baseline, withBadDrains);
      // Not a benchmark: a drain that blocked anything would hold requests for good (or for its
      // connect timeouts); the margin is wide enough for a busy machine.
      assertThat(withBadDrains).isLessThan(3 * baseline + 2000);
      pier.get("watched", "/say?text=drained-marker");
      assertThat(received.get(30, TimeUnit.SECONDS).getFirst()).contains("watched").contains("drained-marker");
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      String logs = "";
      while (System.nanoTime() < deadline && !logs.contains("lines dropped by drain")) {
        logs = pier.cli(repo, "logs", "-n", "3000").out();
        Thread.sleep(500);
      }
      assertThat(logs).contains("lines dropped by drain");
      Result list = PlatformHarness.check(pier.cli(repo, "drains"));
      assertThat(list.out()).contains("127.0.0.1:" + live.getLocalPort());
    }
  }

  /** Sends n requests (all must succeed) and returns how long they took in ms. */
  private long timeRequests(int n) throws Exception {
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) assertThat(pier.get("watched", "/").status()).isEqualTo(200);
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** Searches for {@code text} until the result contains {@code expected} (or 30 s pass). */
  private Result awaitSearch(String text, String expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Result r = null;
    while (System.nanoTime() < deadline) {
      r = PlatformHarness.check(pier.cli(repo, "logs:search", text));
      if (r.out().contains(expected)) return r;
      Thread.sleep(200);
    }
    return r;
  }

  private JsonNode api(String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(pier.apiUrl() + path))
        .header("Authorization", "Bearer " + PlatformHarness.TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
