package dev.pier.e2e;

import dev.pier.cli.PierCli;
import dev.pier.server.PlatformServer;
import dev.pier.server.Settings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Pier started in-process on free ports with a temporary data directory, plus the clients a user
 * has: the CLI (in-process, with its own HOME), the real {@code git} binary and raw HTTP to the
 * router.
 */
final class PlatformHarness implements AutoCloseable {
  static final String TOKEN = "pier_test_token_0123456789abcdef";

  final Path root;
  final Path data;
  final Path home;
  private Settings settings;
  private PlatformServer server;

  PlatformHarness(Path root) throws Exception {
    this(root, s -> s);
  }

  PlatformHarness(Path root, java.util.function.UnaryOperator<Settings> tweak) throws Exception {
    this.root = root;
    this.data = root.resolve("data");
    this.home = root.resolve("home");
    Files.createDirectories(home);
    // App uids must be able to traverse to the data directory.
    for (Path p = root; p != null; p = p.getParent()) {
      if (p.equals(Path.of("/tmp")) || p.getParent() == null) break;
      Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
    }
    settings =
        tweak.apply(
            Settings.defaults(data)
                .withPorts(0, 0)
                .withBindHost("127.0.0.1")
                .withRouterBackendPool(!"false".equals(System.getProperty("pier.test.routerPool")))
                .withAdminToken(TOKEN)
                .withStopGrace(Duration.ofSeconds(3))
                // Node.js apps use the host's node unless a test asks for downloads (NodeVersionsTest).
                .withNodeRegistry(null));
    server = PlatformServer.start(settings);
  }

  /** Stops the server (instances included) and starts it again on the same data and ports. */
  void restart() throws Exception {
    int api = server.apiPort();
    int router = server.routerPort();
    server.close();
    settings = settings.withPorts(api, router);
    server = PlatformServer.start(settings);
  }

  /** As {@link #restart()}, with Pier down for {@code down} in between (scheduled runs it misses, #13). */
  void restart(Duration down) throws Exception {
    int api = server.apiPort();
    int router = server.routerPort();
    server.close();
    Thread.sleep(down.toMillis());
    settings = settings.withPorts(api, router);
    server = PlatformServer.start(settings);
  }

  /** What a test does to the data directory while Pier is down. */
  interface WhileDown {
    void run() throws Exception;
  }

  /** As {@link #restart()}, doing {@code whileDown} in between (a crash's leftovers, for example). */
  void restart(WhileDown whileDown) throws Exception {
    int api = server.apiPort();
    int router = server.routerPort();
    server.close();
    whileDown.run();
    settings = settings.withPorts(api, router);
    server = PlatformServer.start(settings);
  }

  void sampleMetricsNow() {
    server.sampleMetricsNow();
  }

  String apiUrl() {
    return server.apiUrl();
  }

  int routerPort() {
    return server.routerPort();
  }

  /** The router's HTTPS port (#12). */
  int routerTlsPort() {
    return server.routerTlsPort();
  }

  /** Result of a command: exit code and what it printed. */
  record Result(int exit, String out, String err) {
    String all() {
      return out + err;
    }
  }

  /** Runs the CLI in-process in {@code cwd} with this harness's HOME (as after `pier login`). */
  /**
   * {@code pier ARGS} (a {@code logs} command) run again until its output holds {@code text}, for
   * at most 10 s, and checked: a log line is stored moments after what it tells of (a router
   * line after its response is written, in batches), so a test asking at once could miss it.
   */
  Result logsUntil(Path cwd, String text, String... args) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    Result result = check(cli(cwd, args));
    while (!result.out().contains(text) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      result = check(cli(cwd, args));
    }
    return result;
  }

  Result cli(Path cwd, String... args) {
    return cliWithInput(cwd, "", args);
  }

  Result cliWithInput(Path cwd, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> env = new HashMap<>();
    env.put("HOME", home.toString());
    env.put("PATH", System.getenv("PATH"));
    env.putAll(extraEnv);
    int exit =
        PierCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), env, cwd,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Variables added to the environment of every {@link #cli} and {@link #git} run. */
  final Map<String, String> extraEnv = new HashMap<>();

  /** Logs the CLI in (writes credentials and ~/.netrc under this harness's HOME). */
  void login() {
    Result r = cli(root, "login", "--api", apiUrl(), "--token", TOKEN);
    if (r.exit() != 0) throw new AssertionError("login failed: " + r.all());
  }

  /** Runs the real git client with this harness's HOME (so it reads the netrc login wrote). */
  Result git(Path cwd, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("git");
    cmd.addAll(List.of("-c", "user.name=Pier Test", "-c", "user.email=test@pier.invalid",
        "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
    pb.environment().put("HOME", home.toString());
    pb.environment().put("GIT_TERMINAL_PROMPT", "0");
    pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    pb.environment().putAll(extraEnv);
    pb.redirectErrorStream(false);
    Process p = pb.start();
    p.getOutputStream().close();
    // Own threads, not the common pool: JGit (in the server under test) needs the common pool.
    var outF = new java.util.concurrent.CompletableFuture<String>();
    var errF = new java.util.concurrent.CompletableFuture<String>();
    Thread.ofVirtual().start(() -> outF.complete(readAll(p.getInputStream())));
    Thread.ofVirtual().start(() -> errF.complete(readAll(p.getErrorStream())));
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("git " + String.join(" ", args) + " timed out: " + outF.join() + errF.join());
    }
    return new Result(p.exitValue(), outF.join(), errF.join());
  }

  /** Creates a git repository with the given files committed on main. */
  Path repo(String name, Map<String, String> files) throws IOException, InterruptedException {
    Path dir = root.resolve("src").resolve(name);
    Files.createDirectories(dir);
    write(dir, files);
    check(git(dir, "init", "-q", "-b", "main"));
    commitAll(dir, "initial");
    return dir;
  }

  void commitAll(Path dir, String message) throws IOException, InterruptedException {
    check(git(dir, "add", "-A"));
    check(git(dir, "commit", "-q", "-m", message));
  }

  static void write(Path dir, Map<String, String> files) throws IOException {
    for (Map.Entry<String, String> e : files.entrySet()) {
      Path f = dir.resolve(e.getKey());
      Files.createDirectories(f.getParent());
      Files.writeString(f, e.getValue());
    }
  }

  static Result check(Result r) {
    if (r.exit() != 0) throw new AssertionError("command failed (" + r.exit() + "): " + r.all());
    return r;
  }

  /** A response read off the wire. */
  record Response(int status, Map<String, String> headers, String body) {}

  /** GET through the router with {@code Host: APP.localhost}. */
  Response get(String app, String path) throws IOException {
    return request("GET", app + ".localhost", path, null);
  }

  /** A raw HTTP/1.1 request to the router (one connection, closed after the response). */
  Response request(String method, String host, String path, String body) throws IOException {
    try (Socket s = new Socket("127.0.0.1", routerPort())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n"
          + (body == null ? "" : "Content-Length: " + bytes.length + "\r\n") + "\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      return parse(s.getInputStream().readAllBytes());
    }
  }

  static Response parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int split = text.indexOf("\r\n\r\n");
    if (split < 0) throw new AssertionError("no HTTP response: " + text);
    String[] lines = text.substring(0, split).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
    }
    byte[] bodyBytes = java.util.Arrays.copyOfRange(raw, split + 4, raw.length);
    String body = new String(bodyBytes, StandardCharsets.UTF_8);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) body = dechunk(body);
    return new Response(status, headers, body);
  }

  private static String dechunk(String body) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < body.length()) {
      int eol = body.indexOf("\r\n", i);
      if (eol < 0) break;
      int size = Integer.parseInt(body.substring(i, eol).split(";")[0].trim(), 16);
      if (size == 0) break;
      out.append(body, eol + 2, eol + 2 + size);
      i = eol + 2 + size + 2;
    }
    return out.toString();
  }

  /** Polls until the app answers 200 on path (or the timeout passes); returns the last response. */
  Response awaitOk(String app, String path, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Response last = null;
    while (System.nanoTime() < deadline) {
      last = get(app, path);
      if (last.status() == 200) return last;
      Thread.sleep(100);
    }
    return last;
  }

  /** Polls until a 200 response body contains {@code text}. */
  boolean awaitBody(String app, String text, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Response r = get(app, "/");
      if (r.status() == 200 && r.body().contains(text)) return true;
      Thread.sleep(100);
    }
    return false;
  }

  private static String readAll(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
