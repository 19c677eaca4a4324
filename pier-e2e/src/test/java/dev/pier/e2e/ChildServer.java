package dev.pier.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Pier server in a child JVM (the test's classpath), on fixed ports and one data directory, so
 * a test can SIGKILL it and start it again on the same state. Output goes to DATA/../server.log.
 *
 * <p>Nothing of it is fixed machine-wide, so test JVMs could run side by side: the API, router
 * and router TLS ports are free ones chosen here (the TLS port would otherwise be the default
 * 8443), and the add-on port range is the test JVM's own ({@value #ADDON_PORTS_PROPERTY}, when set,
 * e.g. per surefire fork) unless the test's environment names them.
 */
final class ChildServer implements AutoCloseable {
  final Path data;
  final int api;
  final int router;
  /** The system property with this JVM's add-on port range (as for in-process servers). */
  static final String ADDON_PORTS_PROPERTY = "pier.addonPorts";
  private final Map<String, String> env;
  private Process process;

  ChildServer(Path data, Map<String, String> env) throws IOException {
    this.data = data;
    this.api = freePort();
    this.router = freePort();
    Map<String, String> all = new java.util.HashMap<>(env);
    if (!all.containsKey("PIER_ROUTER_TLS_PORT")) all.put("PIER_ROUTER_TLS_PORT", Integer.toString(freePort()));
    String addonPorts = System.getProperty(ADDON_PORTS_PROPERTY);
    if (addonPorts != null) all.putIfAbsent("PIER_ADDON_PORTS", addonPorts);
    this.env = Map.copyOf(all);
  }

  /** Starts the server and waits until the API says it is ready. */
  ChildServer start() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    // A short-lived server: C1 only and the serial GC start it about a third faster.
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
        "dev.pier.server.Main", "--data", data.toString(), "--api-port", Integer.toString(api),
        "--router-port", Integer.toString(router), "--bind", "127.0.0.1");
    pb.environment().put("PIER_ADMIN_TOKEN", PlatformHarness.TOKEN);
    pb.environment().put("PIER_STOP_GRACE_SECONDS", "3");
    // Node.js apps use the host's node, as with PlatformHarness (a test's env may say otherwise).
    pb.environment().put("PIER_NODE_DOWNLOADS", "0");
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolveSibling("server.log").toFile()));
    process = pb.start();
    awaitReady();
    return this;
  }

  /** SIGKILL: no shutdown hook, no flush, no clean close. */
  void kill() throws InterruptedException {
    if (process == null) return;
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("server survived SIGKILL");
  }

  long pid() {
    return process.pid();
  }

  String apiUrl() {
    return "http://127.0.0.1:" + api;
  }

  /** The git URL of an app with the token in it (no netrc needed). */
  String gitUrl(String app) {
    return "http://pier:" + PlatformHarness.TOKEN + "@127.0.0.1:" + api + "/git/" + app + ".git";
  }

  private void awaitReady() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    // Generous: a cold JVM on a machine that runs much else besides (another test JVM) can take long.
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new AssertionError("server exited with " + process.exitValue() + " (see server.log)");
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(apiUrl() + "/"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("\"ready\":true")) return;
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(50);
    }
    throw new AssertionError("server did not become ready");
  }

  @Override
  public void close() throws InterruptedException {
    if (process == null || !process.isAlive()) return;
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
