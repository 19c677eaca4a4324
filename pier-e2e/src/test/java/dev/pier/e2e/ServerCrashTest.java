package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.cli.PierCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed with SIGKILL cannot stop its instances; the next start must kill what it left
 * behind and bring the app back.
 */
class ServerCrashTest {
  @TempDir Path tmp;

  @Test
  void restartAfterSigkillReapsLeftInstancesAndServesAgain() throws Exception {
    for (Path p = tmp; p != null && !p.equals(Path.of("/tmp")); p = p.getParent()) {
      Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
    }
    Path data = tmp.resolve("data");
    int api = freePort();
    int router = freePort();
    int tls = freePort(); // not the default 8443, which a server in another test JVM may hold
    Process server = startServer(data, api, router, tls);
    Process second = null;
    try {
      awaitReady(api);
      Path app = tmp.resolve("app");
      PlatformHarness.write(app, SampleApps.nodeHello(1));
      Map<String, String> env = Map.of("HOME", tmp.toString(), "PATH", System.getenv("PATH"),
          "PIER_API_URL", "http://localhost:" + api, "PIER_API_TOKEN", PlatformHarness.TOKEN);
      assertThat(cli(env, app, "apps:create", "phoenix", "--no-remote")).isZero();
      assertThat(cli(env, app, "deploy", ".", "-a", "phoenix")).isZero();
      List<Long> before = instancePids(data);
      assertThat(before).isNotEmpty();

      server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      assertThat(before.stream().anyMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)))
          .as("instances outlive a SIGKILLed server").isTrue();

      second = startServer(data, api, router, tls);
      awaitReady(api);
      for (long pid : before) {
        ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> h).join());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid).isFalse();
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      int status = 0;
      while (System.nanoTime() < deadline && status != 200) {
        try (var s = new java.net.Socket("127.0.0.1", router)) {
          s.getOutputStream().write("GET / HTTP/1.1\r\nHost: phoenix.localhost\r\nConnection: close\r\n\r\n".getBytes());
          status = PlatformHarness.parse(s.getInputStream().readAllBytes()).status();
        }
        if (status != 200) Thread.sleep(100);
      }
      assertThat(status).isEqualTo(200);
    } finally {
      server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      if (second != null) {
        second.destroy();
        if (!second.waitFor(60, TimeUnit.SECONDS)) second.destroyForcibly();
      }
    }
  }

  private static Process startServer(Path data, int api, int router, int tls) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "dev.pier.server.Main", "--data", data.toString(), "--api-port", Integer.toString(api),
        "--router-port", Integer.toString(router), "--router-tls-port", Integer.toString(tls),
        "--bind", "127.0.0.1");
    pb.environment().put("PIER_ADMIN_TOKEN", PlatformHarness.TOKEN);
    pb.environment().put("PIER_STOP_GRACE_SECONDS", "3");
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolveSibling("server.log").toFile()));
    return pb.start();
  }

  private static void awaitReady(int api) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + "/")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("\"ready\":true")) return;
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(100);
    }
    throw new AssertionError("server did not become ready");
  }

  private static List<Long> instancePids(Path data) {
    String marker = data.resolve("run").toString();
    return ProcessHandle.allProcesses()
        .filter(h -> h.info().arguments().map(a -> String.join(" ", a).contains(marker)).orElse(false))
        .map(ProcessHandle::pid).toList();
  }

  private static int cli(Map<String, String> env, Path cwd, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    int exit = PierCli.run(args, ps, ps, env, cwd, java.io.InputStream.nullInputStream());
    if (exit != 0) System.out.println(out.toString(StandardCharsets.UTF_8));
    return exit;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
