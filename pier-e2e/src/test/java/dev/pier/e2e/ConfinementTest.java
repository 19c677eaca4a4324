package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.build.BuildLimits;
import dev.pier.e2e.PlatformHarness.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apps whose build and instances leave daemons behind (setsid, as any dependency's postinstall
 * can): nothing of them outlives the build step, and nothing of the app outlives apps:destroy.
 * Processes are found by scanning /proc, not through Pier.
 */
@Timeout(180)
class ConfinementTest {
  @TempDir Path tmp;

  private static Map<String, String> daemonizingApp(String buildScript) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("Procfile", "web: (setsid nohup sleep 654.25 >/dev/null 2>&1 &); node server.js\n");
    files.put("package.json", "{\"name\": \"confined\", \"version\": \"1.0.0\", \"scripts\": {\"build\": \"sh build.sh\"}}\n");
    files.put("build.sh", buildScript + "\n");
    files.put("server.js", "require('http').createServer((q, s) => s.end('up')).listen(process.env.PORT);\n");
    return files;
  }

  @Test
  void destroyLeavesNothingOfTheAppRunningNotEvenDaemonsOfItsBuildOrInstances() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      pier.login();
      Path dir = pier.repo("confined", daemonizingApp("(setsid nohup sleep 321.25 &); echo daemonized"));
      PlatformHarness.check(pier.cli(dir, "apps:create", "confined", "--no-remote"));

      Result deploy = pier.cli(dir, "deploy", ".", "-a", "confined");

      assertThat(deploy.exit()).as(deploy.all()).isZero();
      assertThat(deploy.out()).contains("daemonized").contains("Released v1");
      assertThat(pier.awaitOk("confined", "/", Duration.ofSeconds(30)).body()).isEqualTo("up");
      assertThat(withCommandLine("sleep 321.25")).as("daemon of the build step").isEmpty();
      List<Long> instanceDaemon = withCommandLine("sleep 654.25");
      assertThat(instanceDaemon).as("daemon of the web instance").hasSize(1);
      int uid = uidOf(instanceDaemon.getFirst());

      PlatformHarness.check(pier.cli(dir, "apps:destroy", "-a", "confined", "--confirm", "confined"));

      assertThat(ofUid(uid)).as("processes of the app's uid " + uid).isEmpty();
      assertThat(withCommandLine("sleep 654.25")).isEmpty();
      assertThat(withCommandLine("sleep 321.25")).isEmpty();
    }
  }

  @Test
  void buildRunningPastTheBuildTimeoutFailsThePushSayingSo() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp,
        s -> s.withBuildLimits(BuildLimits.defaults(s.memoryLimitBytes()).withTimeout(Duration.ofSeconds(3))))) {
      pier.login();
      Path dir = pier.repo("slow", daemonizingApp("echo compiling; sleep 77.5"));
      PlatformHarness.check(pier.cli(dir, "apps:create", "slow", "--no-remote"));
      long start = System.nanoTime();

      Result deploy = pier.cli(dir, "deploy", ".", "-a", "slow");

      assertThat(deploy.exit()).isNotZero();
      assertThat(deploy.all()).contains("compiling").contains(" !     build timed out after 3s");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
      assertThat(withCommandLine("sleep 77.5")).isEmpty();
    }
  }

  /** Live (non-zombie) processes whose command line is {@code line}. */
  static List<Long> withCommandLine(String line) throws IOException {
    List<Long> found = new ArrayList<>();
    for (long pid : pids()) {
      try {
        String cmd = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
            .replace('\0', ' ').strip();
        if (cmd.equals(line) && running(pid)) found.add(pid);
      } catch (IOException gone) {
        // exited meanwhile
      }
    }
    return found;
  }

  /** Live (non-zombie) processes of real uid {@code uid}. */
  static List<Long> ofUid(int uid) throws IOException {
    List<Long> found = new ArrayList<>();
    for (long pid : pids()) {
      try {
        if (uidOf(pid) == uid && running(pid)) found.add(pid);
      } catch (IOException gone) {
        // exited meanwhile
      }
    }
    return found;
  }

  private static int uidOf(long pid) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (l.startsWith("Uid:")) return Integer.parseInt(l.split("\\s+")[1]);
    }
    throw new IOException("no Uid line for " + pid);
  }

  private static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static List<Long> pids() throws IOException {
    try (var entries = Files.list(Path.of("/proc"))) {
      return entries.map(p -> p.getFileName().toString())
          .filter(n -> n.chars().allMatch(Character::isDigit)).map(Long::parseLong).toList();
    }
  }
}
