package dev.pier.e2e;

import static dev.pier.e2e.PlatformHarness.check;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.e2e.PlatformHarness.Result;
import dev.pier.sandbox.Sandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every reason an instance stops for, as a user reads it in {@code pier ps} and {@code pier logs}:
 * an exit code with the last lines printed and the crash-loop backoff, the memory limit of its
 * size, the boot timeout, a failing readiness check, and a scale-down or deploy.
 *
 * <p>The faults are injected into web.2 only (started by {@code ps:scale web=2}): web.1 deploys
 * and serves, so the broken instance stays in {@code ps}, crashing and restarting, instead of
 * failing the deploy that would remove it.
 */
class CrashReasonsTest {
  /** Short, so boot failures show quickly; long enough for node to listen on a busy machine. */
  static final Duration BOOT_TIMEOUT = Duration.ofSeconds(4);
  static final Duration WAIT = Duration.ofSeconds(60);
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  static PlatformHarness pier;

  @BeforeAll
  static void start() throws Exception {
    pier = new PlatformHarness(tmp, s -> s.withBootTimeout(BOOT_TIMEOUT));
    pier.login();
  }

  @AfterAll
  static void stop() {
    if (pier != null) pier.close();
  }

  @Test
  void anInstanceExitingWithACodeShowsTheCodeItsLastLineAndWhenItRestarts() throws Exception {
    Path repo = deploy("exits", SampleApps.nodeWithFault("""
        console.log('fatal: cannot reach the database');
        process.exit(3);""", false));
    check(pier.cli(repo, "ps:scale", "web=2", "-a", "exits"));

    String ps = awaitPs("exits", "(?m)^web\\.2: crashed, restarting in \\d+ s \\(exited with code 3\\) ");
    assertThat(ps).containsPattern("(?m)^web\\.2: crashed, restarting in \\d+ s \\(exited with code 3\\) .* v1, restarted \\d+ times?")
        .contains("\n    fatal: cannot reach the database\n")
        .containsPattern("(?m)^web\\.1: up .* v1, booted in \\d+(\\.\\d)? m?s");
    JsonNode crashed = awaitInstance("exits", "web.2", i -> i.path("state").asText().equals("crashed"));
    assertThat(crashed.path("exit_code").asInt()).isEqualTo(3);
    assertThat(crashed.path("reason").asText()).isEqualTo("exited with code 3");
    assertThat(crashed.path("last_output").toString()).contains("fatal: cannot reach the database");

    String logs = awaitLogs("exits", "Process exited with status 3", "Restarting web.2 in");
    assertThat(logs).contains("app[web.2]: fatal: cannot reach the database");
    destroy("exits");
  }

  @Test
  void aMemoryHogIsKilledAtItsSizesLimitAndNamedAsSuch() throws Exception {
    assumeTrue(Sandbox.runningAsRoot(), "memory limits need root (cgroups)");
    Path repo = deploy("hog", SampleApps.nodeWithFault("""
        http.createServer((req, res) => res.end('hogging')).listen(process.env.PORT);
        const chunks = [];
        setInterval(() => {
          if (chunks.length < 64) {
            chunks.push(Buffer.alloc(16 << 20, chunks.length + 1));
            console.log('holding ' + chunks.length * 16 + ' MB');
          }
          for (const chunk of chunks) for (let i = 0; i < chunk.length; i += 4096) chunk[i]++;
        }, 25);""", false));
    JsonNode web1 = awaitInstance("hog", "web.1", i -> i.path("state").asText().equals("up"));
    assumeTrue(web1.hasNonNull("memory_limit_mb"), "cgroups memory is not available: the server measures no memory");

    check(pier.cli(repo, "ps:type", "web=basic", "-a", "hog"));
    check(pier.cli(repo, "ps:scale", "web=2", "-a", "hog"));

    String ps = awaitPs("hog", "(?m)^web\\.2: [a-z]+.*\\(killed: out of memory \\(limit 256 MB\\)");
    assertThat(ps).startsWith("=== web (2, basic): ")
        .containsPattern("(?m)^web\\.1: up .*, \\d+ MB / 256 MB$")
        .containsPattern("\n    holding \\d+ MB\n");
    JsonNode killed = awaitInstance("hog", "web.2", i -> i.path("reason").asText().startsWith("killed"));
    assertThat(killed.path("reason").asText()).isEqualTo("killed: out of memory (limit 256 MB)");
    System.out.println("hog killed: " + killed);
    JsonNode survivor = awaitInstance("hog", "web.1", i -> i.path("memory_used_mb").isNumber());
    assertThat(survivor.path("memory_limit_mb").asInt()).isEqualTo(256);
    assertThat(survivor.path("cpus").asDouble()).isEqualTo(0.25);

    String logs = awaitLogs("hog", "after exceeding its memory limit of 256 MB");
    // What it said it held before it was killed: more than half the limit, never the limit.
    java.util.regex.Matcher held = Pattern.compile("app\\[web\\.2\\]: holding (\\d+) MB").matcher(logs);
    int most = 0;
    while (held.find()) most = Math.max(most, Integer.parseInt(held.group(1)));
    assertThat(most).isBetween(128, 255);
    destroy("hog");
  }

  @Test
  void aWebInstanceThatNeverListensIsKilledAtTheBootTimeoutAndADeployOfItFails() throws Exception {
    String deaf = """
        console.log('warming caches first');
        setInterval(() => {}, 1000);""";
    Path repo = deploy("deaf", SampleApps.nodeWithFault(deaf, false));
    check(pier.cli(repo, "ps:scale", "web=2", "-a", "deaf"));

    String ps = awaitPs("deaf", "(?m)^web\\.2: [a-z, 0-9]+\\(did not listen on \\$PORT within 4 s\\)");
    assertThat(ps).contains("\n    warming caches first\n");
    awaitLogs("deaf", "pier[web.2]: Web process failed to bind to $PORT within 4 seconds of launch");

    check(pier.cli(repo, "ps:scale", "web=1", "-a", "deaf"));
    PlatformHarness.write(repo, SampleApps.nodeWithFault(deaf, true));
    pier.commitAll(repo, "nobody listens");
    Result push = pier.git(repo, "push", "pier", "main");
    assertThat(push.exit()).as(push.all()).isNotZero();
    assertThat(push.err()).contains("web.1 of v2 exited while booting (did not listen on $PORT within 4 s)");
    assertThat(pier.cli(repo, "ps", "-a", "deaf").out()).containsPattern("(?m)^web\\.1: up .* v1");
    destroy("deaf");
  }

  @Test
  void aReadinessCheckThatNeverAnswers2xxIsNamedWithItsPath() throws Exception {
    Path repo = deploy("unready", SampleApps.nodeWithFault("""
        http.createServer((req, res) => {
          if (req.url === '/ready') { res.statusCode = 500; return res.end('database down'); }
          res.end('ok');
        }).listen(process.env.PORT, () => console.log('listening, but not ready'));""", false));
    check(pier.cli(repo, "healthcheck:set", "/ready", "-a", "unready"));
    check(pier.cli(repo, "ps:scale", "web=2", "-a", "unready"));

    String ps = awaitPs("unready", "(?m)^web\\.2: [a-z, 0-9]+\\(did not answer 2xx to GET /ready within 4 s\\)");
    assertThat(ps).contains("\n    listening, but not ready\n").containsPattern("(?m)^web\\.1: up ");
    awaitLogs("unready", "pier[web.2]: Web process did not answer 2xx to GET /ready within 4 seconds of launch");
    destroy("unready");
  }

  @Test
  void aScaleDownAndADeployNameWhyTheyStopInstancesInTheLog() throws Exception {
    Path repo = deploy("stopper", SampleApps.nodeHello(1));
    check(pier.cli(repo, "ps:scale", "web=2", "-a", "stopper"));
    awaitPs("stopper", "(?m)^web\\.2: up ");

    check(pier.cli(repo, "ps:scale", "web=1", "-a", "stopper"));
    awaitLogs("stopper", Pattern.compile("Stopping web\\.2\\S*: web of v1 scaled to 1"));
    assertThat(pier.cli(repo, "ps", "-a", "stopper").out()).doesNotContain("web.2");

    PlatformHarness.write(repo, SampleApps.nodeHello(2));
    pier.commitAll(repo, "v2");
    check(pier.git(repo, "push", "pier", "main"));
    String logs = awaitLogs("stopper", Pattern.compile("Stopping web\\.1\\S*: v1 no longer runs"));
    assertThat(logs).containsPattern("Draining web\\.1\\S*: v1 no longer runs");
    assertThat(pier.cli(repo, "ps", "-a", "stopper").out()).containsPattern("(?m)^web\\.1: up .* v2");
    destroy("stopper");
  }

  private static Path deploy(String app, Map<String, String> files) throws Exception {
    Path repo = pier.repo(app, files);
    check(pier.cli(repo, "apps:create", app));
    check(pier.git(repo, "push", "pier", "main"));
    return repo;
  }

  private static void destroy(String app) {
    check(pier.cli(tmp, "apps:destroy", "-a", app, "--confirm", app));
  }

  /** Runs {@code pier ps} until its output matches {@code regex}; fails with the last output. */
  private static String awaitPs(String app, String regex) throws InterruptedException {
    Pattern pattern = Pattern.compile(regex);
    long deadline = System.nanoTime() + WAIT.toNanos();
    String out = "";
    while (System.nanoTime() < deadline) {
      out = check(pier.cli(tmp, "ps", "-a", app)).out();
      if (pattern.matcher(out).find()) {
        System.out.println("pier ps -a " + app + ":\n" + out);
        return out;
      }
      Thread.sleep(150);
    }
    throw new AssertionError("pier ps never matched " + regex + "; last:\n" + out);
  }

  /** Polls {@code pier ps --json} until the named instance satisfies {@code wanted}. */
  private static JsonNode awaitInstance(String app, String name, Predicate<JsonNode> wanted) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String out = "";
    while (System.nanoTime() < deadline) {
      out = check(pier.cli(tmp, "ps", "--json", "-a", app)).out();
      for (JsonNode instance : JSON.readTree(out)) {
        if (instance.path("name").asText().equals(name) && wanted.test(instance)) return instance;
      }
      Thread.sleep(150);
    }
    throw new AssertionError(name + " never got there; last pier ps --json:\n" + out);
  }

  private static String awaitLogs(String app, String... texts) throws InterruptedException {
    return awaitLogs(app, logs -> java.util.Arrays.stream(texts).allMatch(logs::contains), String.join(", ", texts));
  }

  private static String awaitLogs(String app, Pattern pattern) throws InterruptedException {
    return awaitLogs(app, logs -> pattern.matcher(logs).find(), pattern.pattern());
  }

  /** Runs {@code pier logs} until they hold what is wanted; fails with the last lines. */
  private static String awaitLogs(String app, Predicate<String> wanted, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String out = "";
    while (System.nanoTime() < deadline) {
      out = check(pier.cli(tmp, "logs", "-a", app, "-n", "500")).out();
      if (wanted.test(out)) return out;
      Thread.sleep(200);
    }
    throw new AssertionError("pier logs never showed " + what + "; last:\n" + out);
  }
}
