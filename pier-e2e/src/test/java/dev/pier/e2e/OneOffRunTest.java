package dev.pier.e2e;

import static dev.pier.e2e.PlatformHarness.check;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.e2e.PlatformHarness.Result;
import dev.pier.testkit.ProcScan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pier run} end to end: the real CLI executable ({@code java dev.pier.cli.PierCli}, as
 * {@code bin/pier} runs it) on a real pseudo-terminal made by {@code script}, against a real server
 * and a deployed app; and without a terminal, detached, in {@code ps}, stopped, disconnected.
 */
@Timeout(180)
class OneOffRunTest {
  private static final String APP = "oneoff";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path tmp;
  static PlatformHarness pier;
  static Path repo;

  @BeforeAll
  static void start() throws Exception {
    pier = new PlatformHarness(tmp);
    pier.login();
    repo = pier.repo(APP, SampleApps.nodeHello(1));
    check(pier.cli(repo, "apps:create", APP));
    check(pier.git(repo, "push", "pier", "main"));
  }

  @AfterAll
  static void stop() {
    if (pier != null) pier.close();
  }

  @Test
  void aShellOnARealTerminalStartsInAppHandlesCtrlCPassesTenMegabytesAndExitsWithItsCode() throws Exception {
    long started = System.nanoTime();
    try (Terminal term = Terminal.open("run", "bash", "-a", APP)) {
      term.awaitOutput("up, run.", WAIT);
      long toUp = Duration.ofNanos(System.nanoTime() - started).toMillis();
      term.awaitOutput("$ ", WAIT);
      long toPrompt = Duration.ofNanos(System.nanoTime() - started).toMillis();
      long jvm = cliMillis("--version");
      long ps = cliMillis("ps", "-a", APP);
      System.out.println("pier run bash: " + toPrompt + " ms to the shell prompt (" + toUp
          + " ms to `up, run.N`: CLI start and the POST; for comparison `pier --version` takes " + jvm
          + " ms, `pier ps` " + ps + " ms)");

      term.type("pwd; tty; echo uid=$(id -u) dyno=$DYNO\r");
      String where = term.awaitOutput(Pattern.compile("uid=\\d+ dyno=run\\.\\d+"), WAIT);
      assertThat(where).containsPattern("[\r\n]/app\r\n").contains("/dev/pts/").doesNotContain("uid=0 ");

      term.type("sleep 100\r");
      Thread.sleep(700);
      term.type("\u0003");
      term.type("echo after-ctrl-c status=$?\r");
      term.awaitOutput("after-ctrl-c status=130", Duration.ofSeconds(10));

      // 10 MB of base64 through the terminal: the checksum computed in the sandbox must match.
      term.type("head -c 7600000 /dev/urandom > /tmp/d; base64 /tmp/d > /tmp/b; sha256sum /tmp/b;"
          + " printf 'BEG''IN\\n'; cat /tmp/b; printf 'E''ND\\n'\r");
      String all = term.awaitOutput(Pattern.compile("\nEND\r\n"), Duration.ofSeconds(60)).replace("\r", "");
      Matcher sum = Pattern.compile("([0-9a-f]{64})  /tmp/b\n").matcher(all);
      assertThat(sum.find()).as("sha256sum line in %s", tail(all)).isTrue();
      String data = all.substring(all.lastIndexOf("\nBEGIN\n") + 7, all.lastIndexOf("\nEND\n") + 1);
      assertThat(data.length()).isGreaterThan(10_000_000);
      assertThat(sha256(data)).isEqualTo(sum.group(1));

      term.type("exit 3\r");
      assertThat(term.awaitExit(WAIT)).isEqualTo(3);
    }
    awaitNoOneOffs();
  }

  @Test
  void withoutATerminalStdinIsPipedItsEndClosesItAndTheExitCodeComesBack() {
    Result cat = pier.cliWithInput(tmp, "hi\nthere\n", "run", "cat", "-a", APP);
    assertThat(cat.exit()).as(cat.all()).isZero();
    assertThat(cat.out()).isEqualTo("hi\nthere\n");
    assertThat(cat.err()).containsPattern("Running `cat` on oneoff\\.\\.\\. up, run\\.\\d+");

    Result failing = pier.cli(tmp, "run", "-a", APP, "--", "sh", "-c", "echo to-stderr >&2; exit 7");
    assertThat(failing.exit()).isEqualTo(7);
    assertThat(failing.out()).isEqualTo("to-stderr\n");
  }

  @Test
  void aDetachedRunWritesToTheLogsShowsInPsAndPsStopStopsIt() throws Exception {
    Result run = check(pier.cli(tmp, "run:detached", "-a", APP, "--", "echo detached-marker; sleep 200"));
    Matcher name = Pattern.compile("up, (run\\.\\d+)").matcher(run.out());
    assertThat(name.find()).as(run.out()).isTrue();
    String instance = name.group(1);
    assertThat(run.out()).contains("pier logs -a oneoff --ps " + instance);

    awaitCli(r -> r.out().contains("app[" + instance + "]: detached-marker"), "logs", "-a", APP, "--ps", instance);
    String ps = check(pier.cli(tmp, "ps", "-a", APP)).out();
    assertThat(ps).containsPattern("=== run: one-off processes \\(\\d+\\)")
        .containsPattern("(?m)^" + Pattern.quote(instance) + ": up .*: echo detached-marker; sleep 200$")
        .containsPattern("(?m)^=== web \\(1\\)");

    check(pier.cli(tmp, "ps:stop", instance, "-a", APP));
    assertThat(check(pier.cli(tmp, "ps", "-a", APP)).out()).doesNotContain(instance);
    Result web = pier.cli(tmp, "ps:stop", "web.1", "-a", APP);
    assertThat(web.exit()).isEqualTo(1);
    assertThat(web.err()).contains("web.1 is part of the formation");
  }

  @Test
  void aRunPastItsTimeLimitIsStoppedAndTheLogSaysWhy() throws Exception {
    Result run = check(pier.cli(tmp, "run:detached", "--time-limit", "2s", "-a", APP, "--", "sleep 281"));
    Matcher name = Pattern.compile("up, (run\\.\\d+)").matcher(run.out());
    assertThat(name.find()).as(run.out()).isTrue();

    awaitCli(r -> r.out().contains("pier[" + name.group(1) + "]: Stopping: reached its time limit of 2 s"),
        "logs", "-a", APP, "--ps", name.group(1));
    awaitCli(r -> !r.out().contains(name.group(1) + ":"), "ps", "-a", APP);
    assertThat(ProcScan.withCommandLine("sleep 281")).isEmpty();
  }

  @Test
  void aTerminalThatDisconnectsMidSessionLeavesNothingRunning() throws Exception {
    try (Terminal term = Terminal.open("run", "-a", APP, "--", "echo started; sleep 317")) {
      term.awaitOutput("started\r\n", WAIT);
      assertThat(ProcScan.withCommandLine("sleep 317")).hasSize(1);
      term.killClient();
    }
    awaitNoOneOffs();
    assertThat(ProcScan.withCommandLine("sleep 317")).isEmpty();
  }

  @Test
  void theAttachSocketNeedsATokenAndAnAttachedRunOfItsOwn() throws Exception {
    Result run = check(pier.cli(tmp, "run:detached", "-a", APP, "--", "sleep 30"));
    String name = run.out().replaceAll("(?s).*up, (run\\.\\d+).*", "$1");
    java.net.URI uri = java.net.URI.create(pier.apiUrl().replaceFirst("^http", "ws") + "/apps/" + APP + "/runs/" + name + "/attach");
    try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
      assertThat(handshakeStatus(http.newWebSocketBuilder(), uri)).isEqualTo(401);
      assertThat(handshakeStatus(http.newWebSocketBuilder().header("Authorization", "Bearer wrong"), uri))
          .as("an invalid token never falls back to a console cookie").isEqualTo(401);
      assertThat(handshakeStatus(http.newWebSocketBuilder().header("Authorization", "Bearer " + PlatformHarness.TOKEN)
          .header("Origin", "http://evil.localhost:8080"), uri))
          .as("a page of another origin cannot attach").isEqualTo(403);
      assertThat(handshakeStatus(http.newWebSocketBuilder().header("Authorization", "Bearer " + PlatformHarness.TOKEN), uri))
          .as("a detached run has no streams to attach to").isEqualTo(409);
      assertThat(handshakeStatus(http.newWebSocketBuilder().header("Authorization", "Bearer " + PlatformHarness.TOKEN),
          java.net.URI.create(uri.toString().replace(name, "run.999")))).isEqualTo(404);
    }
    check(pier.cli(tmp, "ps:stop", name, "-a", APP));
  }

  private static int handshakeStatus(java.net.http.WebSocket.Builder builder, java.net.URI uri) {
    try {
      builder.buildAsync(uri, new java.net.http.WebSocket.Listener() {}).join().abort();
      return 101;
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) return refused.getResponse().statusCode();
      throw e;
    }
  }

  @Test
  void anAppWithoutAReleaseIsRefusedClearly() {
    check(pier.cli(tmp, "apps:create", "norelease"));
    Result r = pier.cli(tmp, "run", "bash", "-a", "norelease");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("has no release yet");
  }

  private static void awaitNoOneOffs() throws InterruptedException {
    awaitCli(r -> !r.out().contains("one-off"), "ps", "-a", APP);
  }

  private static Result awaitCli(java.util.function.Predicate<Result> done, String... args) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Result last;
    do {
      last = pier.cli(tmp, args);
      if (done.test(last)) return last;
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("pier " + String.join(" ", args) + " never matched; last: " + last.all());
  }

  /** How long the CLI takes for {@code args} on a terminal, for comparison. */
  private static long cliMillis(String... args) throws Exception {
    long started = System.nanoTime();
    try (Terminal term = Terminal.open(args)) {
      term.awaitExit(WAIT);
    }
    return Duration.ofNanos(System.nanoTime() - started).toMillis();
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII)));
  }

  private static String tail(String s) {
    return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
  }

  /** The real CLI on a pseudo-terminal of its own: {@code script -q -e -c "java ... PierCli ARGS" /dev/null}. */
  static final class Terminal implements AutoCloseable {
    private final Process script;
    private final OutputStream keys;
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final Thread reader;

    private Terminal(Process script) {
      this.script = script;
      this.keys = script.getOutputStream();
      InputStream out = script.getInputStream();
      this.reader = Thread.ofPlatform().daemon().start(() -> {
        byte[] buf = new byte[65536];
        try {
          int n;
          while ((n = out.read(buf)) >= 0) {
            synchronized (screen) {
              screen.write(buf, 0, n);
              screen.notifyAll();
            }
          }
        } catch (IOException e) {
          // Closed.
        }
      });
    }

    static Terminal open(String... args) throws IOException {
      String java = ProcessHandle.current().info().command().orElse("java");
      List<String> cli = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
          "-cp", System.getProperty("java.class.path"), "dev.pier.cli.PierCli"));
      cli.addAll(List.of(args));
      StringBuilder line = new StringBuilder("stty cols 120 rows 40; exec");
      for (String arg : cli) line.append(" '").append(arg.replace("'", "'\\''")).append('\'');
      ProcessBuilder builder = new ProcessBuilder("script", "-q", "-e", "--echo", "never", "-c", line.toString(), "/dev/null");
      builder.environment().put("HOME", pier.home.toString());
      builder.environment().put("TERM", "xterm");
      builder.redirectErrorStream(true);
      return new Terminal(builder.start());
    }

    void type(String text) throws IOException {
      keys.write(text.getBytes(StandardCharsets.UTF_8));
      keys.flush();
    }

    String awaitOutput(String text, Duration timeout) throws InterruptedException {
      return awaitOutput(Pattern.compile(Pattern.quote(text)), timeout);
    }

    /** Waits until everything shown so far matches {@code pattern} somewhere; returns it. */
    String awaitOutput(Pattern pattern, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      synchronized (screen) {
        while (true) {
          String shown = screen.toString(StandardCharsets.UTF_8);
          if (pattern.matcher(shown).find()) return shown;
          long left = deadline - System.nanoTime();
          if (left <= 0) throw new AssertionError("never saw " + pattern + " on the terminal; it shows: " + tail(shown));
          screen.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
      }
    }

    int awaitExit(Duration timeout) throws InterruptedException {
      if (!script.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("pier run did not exit; the terminal shows: " + tail(screen.toString(StandardCharsets.UTF_8)));
      }
      return script.exitValue();
    }

    /** Kills the CLI as a closed laptop would: no goodbye to the server. */
    void killClient() throws InterruptedException {
      script.descendants().forEach(ProcessHandle::destroyForcibly);
      script.destroyForcibly();
      script.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
      if (script.isAlive()) killClient();
      reader.join(2000);
    }
  }
}
