package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child server is SIGKILLed at random moments while a client creates and destroys apps,
 * pushes, changes config, scales and rolls back, with router traffic and a crash-looping worker
 * running beside. After every restart each acknowledged change must be there (an operation cut
 * off by the kill may have happened or not, nothing else), what the router serves must be what
 * {@code main} points at, and {@code pier doctor} must find nothing left to fix.
 */
class CrashConsistencyTest {
  /** Kill points per run: 12 at random moments each CI run (new ones each run); -Dpier.crash.killPoints=200 for a longer soak. */
  private static final int KILL_POINTS = Integer.getInteger("pier.crash.killPoints", 12);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Random random = new Random(Long.getLong("pier.crash.seed", System.nanoTime()));
  private ChildServer server;
  private Path source;

  /** What the client was told happened, plus the operation the kill cut off (either outcome is fine). */
  private final Set<String> apps = new TreeSet<>();
  private String config;
  private int web = 1;
  private String main;
  private final Map<String, String> codeOfCommit = new TreeMap<>();
  private int rollyCurrent;
  private final AtomicReference<Op> inFlight = new AtomicReference<>();
  private final Map<String, Long> took = new TreeMap<>();
  private long restartNanos;
  private int counter;

  private record Op(String kind, String app, String value) {}

  @Test
  void everyAcknowledgedChangeSurvivesSigkillAtRandomPoints() throws Exception {
    for (Path p = tmp; p != null && !p.equals(Path.of("/tmp")); p = p.getParent()) {
      Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
    }
    server = new ChildServer(tmp.resolve("data"), Map.of()).start();
    Map<String, Integer> killedDuring = new TreeMap<>();
    Map<String, Integer> repairs = new TreeMap<>();
    int acknowledged = 0;
    long started = System.nanoTime();
    try {
      setUp();
      for (int point = 1; point <= KILL_POINTS; point++) {
        AtomicBoolean killed = new AtomicBoolean();
        Thread load = routerLoad(killed);
        // A few changes that must all be acknowledged, then one that the kill lands in (or just
        // after: the newest acknowledged change is the one most at risk).
        for (int i = random.nextInt(3); i > 0; i--) {
          Op op = nextOp(random.nextInt(KINDS.size()));
          inFlight.set(op);
          long t0 = System.nanoTime();
          perform(op);
          took.merge(op.kind(), System.nanoTime() - t0, (a, b) -> (a * 3 + b) / 4);
          acknowledged++;
          inFlight.set(null);
        }
        Op victim = nextOp(point % KINDS.size());
        long expectedNanos = took.getOrDefault(victim.kind(), TimeUnit.MILLISECONDS.toNanos(500));
        long delayMs = TimeUnit.NANOSECONDS.toMillis((long) (expectedNanos * 1.2 * random.nextDouble()));
        Thread killer = Thread.ofPlatform().start(() -> {
          try {
            Thread.sleep(delayMs);
            killed.set(true);
            server.kill();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        inFlight.set(victim);
        try {
          perform(victim);
          acknowledged++;
          inFlight.set(null);
        } catch (IOException | InterruptedException | Refused e) {
          killer.join();
          if (!killed.get()) throw new AssertionError("operation " + victim + " failed before the kill", e);
        }
        killer.join();
        load.join();
        Op cut = inFlight.get();
        System.out.println(java.time.Instant.now() + " killed after " + delayMs + " ms; cut off: " + cut);
        killedDuring.merge(cut == null ? "just after " + victim.kind() : cut.kind(), 1, Integer::sum);
        keepEvidence("before-start-" + point);
        long t0 = System.nanoTime();
        server.start();
        restartNanos += System.nanoTime() - t0;
        try {
          verify(point, cut, repairs);
        } catch (AssertionError e) {
          keepEvidence("failed-" + point);
          throw e;
        }
        inFlight.set(null);
      }
    } finally {
      server.close();
      System.out.printf("crash test: %d kill points in %d s (restart to ready: %d ms on average),"
              + " %d acknowledged changes checked; killed during %s; repaired at start: %s%n",
          KILL_POINTS, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started),
          TimeUnit.NANOSECONDS.toMillis(restartNanos / KILL_POINTS), acknowledged, killedDuring, repairs);
    }
  }

  private void setUp() throws Exception {
    create("crashy");
    source = tmp.resolve("crashy-src");
    Files.createDirectories(source);
    git(source, "init", "-q", "-b", "main");
    push("p0");
    setConfig("c0");
    assertThat(send("PATCH", "/apps/crashy/formation", "{\"worker\":1}").statusCode()).isEqualTo(200);
    create("rolly");
    Path rolly = tmp.resolve("rolly-src");
    Files.createDirectories(rolly);
    git(rolly, "init", "-q", "-b", "main");
    for (String code : List.of("r1", "r2", "r3")) {
      PlatformHarness.write(rolly, ConcurrentPushTest.app(code));
      git(rolly, "add", "-A");
      git(rolly, "commit", "-q", "-m", code);
      git(rolly, "push", "-q", server.gitUrl("rolly"), "HEAD:main");
    }
    rollyCurrent = currentRelease("rolly");
    inFlight.set(null);
  }

  private static final List<String> KINDS = List.of("create", "config", "push", "scale", "destroy", "rollback");

  private Op nextOp(int kind) {
    List<String> destroyable = apps.stream().filter(a -> a.startsWith("c-")).toList();
    return switch (KINDS.get(kind)) {
      case "destroy" -> destroyable.isEmpty()
          ? new Op("create", "c-" + (++counter), null)
          : new Op("destroy", destroyable.get(random.nextInt(destroyable.size())), null);
      case "config" -> new Op("config", "crashy", "c" + (++counter));
      case "scale" -> new Op("scale", "crashy", Integer.toString(web == 1 ? 2 : 1));
      case "push" -> new Op("push", "crashy", "p" + (++counter));
      case "rollback" -> new Op("rollback", "rolly", null);
      default -> new Op("create", "c-" + (++counter), null);
    };
  }

  private void perform(Op op) throws Exception {
    System.out.println(java.time.Instant.now() + " op " + op);
    switch (op.kind()) {
      case "create" -> create(op.app());
      case "destroy" -> {
        expect(send("DELETE", "/apps/" + op.app(), null), 200);
        apps.remove(op.app());
      }
      case "config" -> setConfig(op.value());
      case "scale" -> {
        expect(send("PATCH", "/apps/crashy/formation", "{\"web\":" + op.value() + "}"), 200);
        web = Integer.parseInt(op.value());
      }
      case "push" -> push(op.value());
      case "rollback" -> {
        HttpResponse<String> r = send("POST", "/apps/rolly/rollback", "{}");
        expect(r, 200);
        String[] lines = r.body().trim().split("\n");
        JsonNode last = JSON.readTree(lines[lines.length - 1]);
        if (!"succeeded".equals(last.path("status").asText())) throw new Refused("rollback: " + r.body());
        rollyCurrent = last.path("release").asInt();
      }
      default -> throw new IllegalStateException(op.kind());
    }
  }

  private void create(String name) throws Exception {
    expect(send("POST", "/apps", "{\"name\":\"" + name + "\"}"), 201);
    apps.add(name);
  }

  private void setConfig(String value) throws Exception {
    expect(send("PATCH", "/apps/crashy/config", "{\"K\":\"" + value + "\"}"), 200);
    config = value;
  }

  /** Commits a new code name and pushes it; an exit of 0 is git's acknowledgement. */
  private void push(String code) throws Exception {
    PlatformHarness.write(source, Map.of(
        "Procfile", "web: node server.js\nworker: sh -c 'echo worker crashing; sleep 0.5; exit 1'\n",
        "server.js", "require('http').createServer((q, s) => s.end('code=" + code + "\\n')).listen(process.env.PORT);\n"));
    git(source, "add", "-A");
    git(source, "commit", "-q", "-m", code);
    String commit = git(source, "rev-parse", "HEAD").trim();
    codeOfCommit.put(commit, code);
    inFlight.set(new Op("push", "crashy", commit));
    Process p = new ProcessBuilder("git", "push", "-q", server.gitUrl("crashy"), "HEAD:main")
        .directory(source.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(3, TimeUnit.MINUTES)) throw new AssertionError("git push hung");
    if (p.exitValue() != 0) throw new IOException("push refused: " + out);
    main = commit;
  }

  private void verify(int point, Op cut, Map<String, Integer> repairs) throws Exception {
    String at = "kill point " + point + " (cut off: " + cut + ")";
    // Apps: every acknowledged create is there, every acknowledged destroy is gone.
    Set<String> listed = new TreeSet<>();
    for (JsonNode a : get("/apps")) listed.add(a.path("name").asText());
    Set<String> expected = new TreeSet<>(apps);
    if (cut != null && cut.kind().equals("create") && listed.contains(cut.app())) expected.add(cut.app());
    if (cut != null && cut.kind().equals("destroy") && !listed.contains(cut.app())) expected.remove(cut.app());
    assertThat(listed).as(at + ": apps").isEqualTo(expected);
    apps.clear();
    apps.addAll(listed);

    // Config and formation: the acknowledged value, or the one cut off.
    String k = get("/apps/crashy/config").path("K").asText(null);
    assertThat(k).as(at + ": config K").isIn(config,
        cut != null && cut.kind().equals("config") ? cut.value() : config);
    config = k;
    int w = get("/apps/crashy/formation").path("web").asInt();
    assertThat(Integer.toString(w)).as(at + ": web count").isIn(Integer.toString(web),
        cut != null && cut.kind().equals("scale") ? cut.value() : Integer.toString(web));
    web = w;

    // Git: main is the acknowledged push or the one cut off, and the router serves that code.
    String remote = git(source, "ls-remote", server.gitUrl("crashy"), "refs/heads/main").split("\\s+")[0];
    assertThat(remote).as(at + ": main").isIn(main, cut != null && cut.kind().equals("push") ? cut.value() : main);
    main = remote;
    assertThat(awaitServed("crashy", "code=" + codeOfCommit.get(main)))
        .as(at + ": the router serves what main points at (" + codeOfCommit.get(main) + ")").isTrue();

    // Rollbacks: the acknowledged release is current, or a newer one the cut-off rollback made.
    int current = currentRelease("rolly");
    if (cut != null && cut.kind().equals("rollback")) {
      assertThat(current).as(at + ": rolly's current release").isGreaterThanOrEqualTo(rollyCurrent);
    } else {
      assertThat(current).as(at + ": rolly's current release").isEqualTo(rollyCurrent);
    }
    rollyCurrent = current;

    // Every release that ran still has its slug; the doctor finds nothing left to fix.
    for (String app : List.of("crashy", "rolly")) {
      for (JsonNode r : get("/apps/" + app + "/releases")) {
        if (!"failed".equals(r.path("state").asText())) {
          assertThat(r.path("slug_available").asBoolean()).as(at + ": " + app + " v" + r.path("version") + " slug").isTrue();
        }
      }
    }
    JsonNode doctor = get("/doctor");
    assertThat(doctor.path("ok").asBoolean()).as(at + ": doctor " + doctor).isTrue();
    for (JsonNode f : doctor.path("now")) {
      assertThat(f.path("kind").asText()).as(at + ": doctor now " + doctor).isEqualTo("skipped");
    }
    for (JsonNode f : doctor.path("at_start")) {
      String message = f.path("message").asText().replaceAll("[0-9a-f]{7,}|v?\\d+|/\\S+", "#");
      repairs.merge(message, 1, Integer::sum);
    }
    Set<String> repos = new TreeSet<>();
    try (var list = Files.list(server.data.resolve("repos"))) {
      list.forEach(p -> repos.add(p.getFileName().toString().replace(".git", "")));
    }
    assertThat(repos).as(at + ": one repository per app").isEqualTo(listed);
  }

  /** Keeps the state database and the server log of a failing run under target/ (newest two kept). */
  private void keepEvidence(String name) throws IOException {
    Path target = Path.of("target", "crash-evidence");
    Files.createDirectories(target);
    Path dir = target.resolve(name);
    DataDirsCopy.copy(server.data.resolve("db"), dir.resolve("db"));
    Path log = server.data.resolveSibling("server.log");
    if (name.startsWith("failed-") && Files.exists(log)) {
      Files.copy(log, dir.resolve("server.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Path previous = target.resolve("before-start-" + (Integer.parseInt(name.replaceAll("\\D+", "")) - 2));
    if (name.startsWith("before-start-") && Files.exists(previous)) DataDirsCopy.delete(previous);
  }

  /** Recursive copy and delete for evidence folders. */
  private static final class DataDirsCopy {
    static void copy(Path from, Path to) throws IOException {
      try (var walk = Files.walk(from)) {
        for (Path p : (Iterable<Path>) walk::iterator) {
          Path t = to.resolve(from.relativize(p).toString());
          if (Files.isDirectory(p)) Files.createDirectories(t);
          else Files.copy(p, t, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }

    static void delete(Path dir) throws IOException {
      try (var walk = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) Files.delete(p);
      }
    }
  }

  private int currentRelease(String app) throws Exception {
    for (JsonNode r : get("/apps/" + app + "/releases")) {
      if (r.path("current").asBoolean()) return r.path("version").asInt();
    }
    throw new AssertionError(app + " has no current release");
  }

  private boolean awaitServed(String app, String text) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", server.router)) {
        s.setSoTimeout(10_000);
        s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + app + ".localhost\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        PlatformHarness.Response r = PlatformHarness.parse(s.getInputStream().readAllBytes());
        if (r.status() == 200 && r.body().contains(text)) return true;
      } catch (IOException | AssertionError notYet) {
        // instances still starting
      }
      Thread.sleep(100);
    }
    return false;
  }

  /** Light, steady router traffic to crashy (access lines, metrics, log store writes) until the kill. */
  private Thread routerLoad(AtomicBoolean stop) {
    return Thread.ofPlatform().start(() -> {
      while (!stop.get()) {
        try (Socket s = new Socket("127.0.0.1", server.router)) {
          s.setSoTimeout(5_000);
          s.getOutputStream().write("GET /load HTTP/1.1\r\nHost: crashy.localhost\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
          s.getInputStream().readAllBytes();
          Thread.sleep(5);
        } catch (IOException ignored) {
          // the server is being killed
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = send("GET", path, null);
    expect(r, 200);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.apiUrl() + path))
        .timeout(Duration.ofMinutes(3))
        .header("Authorization", "Bearer " + PlatformHarness.TOKEN)
        .header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void expect(HttpResponse<String> r, int status) throws Refused {
    if (r.statusCode() != status) throw new Refused(r.request().method() + " " + r.uri() + ": " + r.statusCode() + " " + r.body());
  }

  private String git(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=Crash", "-c", "user.email=crash@pier.invalid",
        "-c", "commit.gpgsign=false"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException("git " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  /** The API answered, but not with success: only acceptable when the server was being killed. */
  private static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }
}
