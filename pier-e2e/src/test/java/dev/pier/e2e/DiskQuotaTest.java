package dev.pier.e2e;

import static dev.pier.testkit.HostDisks.loopDevicesUnder;
import static dev.pier.testkit.HostDisks.allocatedBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.cli.PierCli;
import dev.pier.e2e.PlatformHarness.Result;
import dev.pier.runtime.DiskQuota;
import dev.pier.sandbox.Sandbox;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apps that write more than their disk quotas, deployed and served for real (root, loop disks):
 * the app gets ENOSPC, its log says so, the data disk is spared, and a build that writes too much
 * fails its push saying so. Disks of a SIGKILLed server are gone after its restart.
 */
@Timeout(240)
class DiskQuotaTest {
  private static final long MB = 1 << 20;
  private static final Pattern WROTE = Pattern.compile("wrote (\\d+) (\\S+)");

  @TempDir Path tmp;

  @BeforeEach
  void needsRoot() {
    assumeTrue(Sandbox.runningAsRoot(), "disk quotas need root (loop mounts)");
  }

  /** A web app: GET /fill?dir=/app writes 1 MiB chunks there until a write fails. */
  private static Map<String, String> fillingApp(String buildScript) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("Procfile", "web: node server.js\n");
    files.put("package.json", "{\"name\": \"filler\", \"version\": \"1.0.0\", \"scripts\": {\"build\": \"sh build.sh\"}}\n");
    files.put("build.sh", buildScript + "\n");
    files.put("server.js", """
        const fs = require('fs');
        require('http').createServer((q, s) => {
          const u = new URL(q.url, 'http://x');
          if (u.pathname === '/fill') {
            const file = u.searchParams.get('dir') + '/fill';
            const chunk = Buffer.alloc(1 << 20, 7);
            let written = 0, error = 'none';
            try {
              const fd = fs.openSync(file, 'w');
              try { for (let i = 0; i < 64; i++) { written += fs.writeSync(fd, chunk); } } finally { fs.closeSync(fd); }
            } catch (e) { error = e.code; }
            return s.end('wrote ' + fs.statSync(file).size + ' ' + error);
          }
          if (u.pathname === '/marker') {
            if (q.method === 'POST') fs.writeFileSync('/app/marker', 'here');
            return s.end(fs.existsSync('/app/marker') ? 'marker' : 'no marker');
          }
          s.end('up');
        }).listen(process.env.PORT);
        """);
    return files;
  }

  @Test
  void appWritingTwiceItsQuotaGetsNoSpaceLeftItsLogSaysSoAndTheDataDiskIsSpared() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp,
        s -> s.withDiskQuota(new DiskQuota(32 * MB, 32 * MB)))) {
      pier.login();
      Path dir = pier.repo("filler", fillingApp("echo built"));
      PlatformHarness.check(pier.cli(dir, "apps:create", "filler", "--no-remote"));
      PlatformHarness.check(pier.cli(dir, "deploy", ".", "-a", "filler"));
      pier.awaitOk("filler", "/", Duration.ofSeconds(30));

      Matcher app = wrote(pier.get("filler", "/fill?dir=/app").body());
      Matcher tmpfs = wrote(pier.get("filler", "/fill?dir=/tmp").body());

      assertThat(app.group(2)).isEqualTo("ENOSPC");
      assertThat(Long.parseLong(app.group(1))).isBetween(27 * MB, 32 * MB);
      assertThat(tmpfs.group(2)).isEqualTo("ENOSPC");
      assertThat(Long.parseLong(tmpfs.group(1))).isBetween(31 * MB, 32 * MB);
      assertThat(allocatedBytes(pier.data.resolve("run"))).as("data disk used by the instance").isLessThan(34 * MB);
      List<String> logs = awaitLogLines(pier, "reached its disk quota", 2);
      assertThat(logs).anyMatch(l -> l.endsWith("pier[web.1]: web.1 reached its disk quota of 32 MB on /app"
          + " (writing more there fails with 'No space left on device')"));
      assertThat(logs).anyMatch(l -> l.contains("web.1 reached its disk quota of 32 MB on /tmp"));
    }
  }

  @Test
  void buildWritingPastTheBuildDiskFailsThePushSayingSo() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp,
        s -> s.withBuildLimits(s.buildLimits().withDisk(64 * MB, 32 * MB)))) {
      pier.login();
      Path dir = pier.repo("greedy", fillingApp("dd if=/dev/zero of=big bs=1M count=128"));
      PlatformHarness.check(pier.cli(dir, "apps:create", "greedy", "--no-remote"));

      Result deploy = pier.cli(dir, "deploy", ".", "-a", "greedy");

      assertThat(deploy.exit()).isNotZero();
      assertThat(deploy.all()).contains(" !     npm run build failed (exit code 1): the build used more than"
          + " 64 MB of disk (its source, dependencies and build cache together)");
      assertThat(mountedUnder(pier.data)).isEmpty();
    }
  }

  @Test
  void disksOfAServerKilledWithSigkillAreGoneAfterItsRestart() throws Exception {
    for (Path p = tmp; p != null && !p.equals(Path.of("/tmp")); p = p.getParent()) {
      Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
    }
    Path data = tmp.resolve("data");
    try (ChildServer server = new ChildServer(data, Map.of("PIER_DISK_QUOTA_MB", "32"))) {
      server.start();
      Path app = tmp.resolve("app");
      PlatformHarness.write(app, fillingApp("echo built"));
      Map<String, String> env = Map.of("HOME", tmp.toString(), "PATH", System.getenv("PATH"),
          "PIER_API_URL", server.apiUrl(), "PIER_API_TOKEN", PlatformHarness.TOKEN);
      assertThat(cli(env, app, "apps:create", "phoenix", "--no-remote")).isZero();
      assertThat(cli(env, app, "deploy", ".", "-a", "phoenix")).isZero();
      assertThat(routerGet(server, "POST", "/marker")).isEqualTo("marker");
      List<String> before = mountIdsUnder(data);
      assertThat(before).hasSize(1);

      server.kill();
      assertThat(mountIdsUnder(data)).as("a SIGKILLed server leaves its disks mounted").isEqualTo(before);
      server.start();

      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      String body = "";
      while (System.nanoTime() < deadline && !body.equals("no marker")) {
        body = routerGet(server, "GET", "/marker");
        if (!body.equals("no marker")) Thread.sleep(100);
      }
      assertThat(body).as("the restored instance starts on a fresh disk").isEqualTo("no marker");
      // Only the restored instance's disk is left: the old one is unmounted and detached.
      assertThat(mountIdsUnder(data)).hasSize(1);
      assertThat(loopDevicesUnder(data)).hasSize(1);
      assertThat(imagesUnder(data.resolve("run"))).hasSize(1);
    }
  }

  private static Matcher wrote(String body) {
    Matcher m = WROTE.matcher(body);
    assertThat(m.find()).as(body).isTrue();
    return m;
  }

  private static List<String> awaitLogLines(PlatformHarness pier, String text, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    List<String> found = List.of();
    while (System.nanoTime() < deadline) {
      Result logs = PlatformHarness.check(pier.cli(pier.home, "logs", "-a", "filler", "-n", "300"));
      found = logs.out().lines().filter(l -> l.contains(text)).toList();
      if (found.size() >= count) return found;
      Thread.sleep(200);
    }
    return found;
  }

  private static String routerGet(ChildServer server, String method, String path) throws IOException {
    try (var s = new java.net.Socket("127.0.0.1", server.router)) {
      s.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: phoenix.localhost\r\n"
          + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      PlatformHarness.Response r = PlatformHarness.parse(s.getInputStream().readAllBytes());
      return r.status() == 200 ? r.body() : "status " + r.status();
    } catch (IOException e) {
      return "unreachable";
    }
  }

  /** The ids (first field of /proc/self/mountinfo) of mounts strictly under {@code root}. */
  private static List<String> mountIdsUnder(Path root) throws IOException {
    List<String> ids = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      Path point = Path.of(f[4]);
      if (point.startsWith(root) && !point.equals(root)) ids.add(f[0]);
    }
    return ids;
  }

  private static List<Path> imagesUnder(Path root) throws IOException {
    try (var files = Files.walk(root)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".img")).toList();
    }
  }

  private static List<Path> mountedUnder(Path root) throws IOException {
    List<Path> points = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      Path point = Path.of(line.split(" ")[4]);
      if (point.startsWith(root) && !point.equals(root)) points.add(point);
    }
    return points;
  }



  private static int cli(Map<String, String> env, Path cwd, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    int exit = PierCli.run(args, ps, ps, env, cwd, java.io.InputStream.nullInputStream());
    if (exit != 0) System.out.println(out.toString(StandardCharsets.UTF_8));
    return exit;
  }
}
