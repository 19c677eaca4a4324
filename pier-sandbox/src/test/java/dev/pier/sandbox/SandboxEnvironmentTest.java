package dev.pier.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real bwrap (and setpriv to nobody's uid when run as root) running a real process. */
@Timeout(30)
class SandboxEnvironmentTest {
  @TempDir Path app;

  @Test
  void theProcessSeesExactlyItsEnvironmentAndNoCommandLineOnTheHostShowsIt() throws Exception {
    assumeTrue(Sandbox.missingTools() == null, "sandbox tools missing");
    Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rwxrwxrwx"));
    String secret = "s3cret-" + UUID.randomUUID();
    Map<String, String> env = Map.of(
        "DATABASE_URL", "postgres://app:" + secret + "@127.0.0.1:15001/app",
        "WITH_SPACES", "two words\tand a tab",
        "PATH", "/usr/bin:/bin");
    AppUser nobody = Sandbox.runningAsRoot() ? new AppUser(65534, 65534) : null;
    SandboxSpec spec = new SandboxSpec(nobody, app, List.of(), env,
        List.of("/bin/sh", "-c", "cat /proc/self/environ > /app/environ.tmp && mv /app/environ.tmp /app/environ"
            + " && exec sleep 60"),
        List.of());
    SandboxLaunch launch = Sandbox.system().launch(spec);
    // What the launcher itself inherits never reaches the sandboxed process.
    launch.builder().environment().put("PIER_HOST_ONLY", "host-" + secret);
    launch.builder().redirectErrorStream(true).redirectOutput(app.resolve("out").toFile());

    Process process = launch.start();
    try {
      Path environ = app.resolve("environ");
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (!Files.exists(environ) && process.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
      assertThat(environ).as("started; output: %s", output()).exists();

      Map<String, String> expected = new HashMap<>(env);
      expected.put("PWD", "/app");
      assertThat(parse(Files.readAllBytes(environ))).isEqualTo(expected);
      assertThat(commandLinesContaining(secret)).as("host command lines with the secret").isEmpty();
      try (var left = Files.list(EnvFiles.folder())) {
        assertThat(left.toList()).as("environment files left while it runs").isEmpty();
      }
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor();
    }
  }

  private String output() throws IOException {
    Path out = app.resolve("out");
    return Files.exists(out) ? Files.readString(out) : "";
  }

  private static Map<String, String> parse(byte[] environ) {
    Map<String, String> env = new HashMap<>();
    for (String entry : new String(environ, StandardCharsets.UTF_8).split("\0")) {
      if (entry.isEmpty()) continue;
      int eq = entry.indexOf('=');
      env.put(entry.substring(0, eq), entry.substring(eq + 1));
    }
    return env;
  }

  private static List<String> commandLinesContaining(String text) throws IOException {
    List<String> found = new ArrayList<>();
    try (var entries = Files.list(Path.of("/proc"))) {
      for (Path dir : entries.toList()) {
        if (!dir.getFileName().toString().chars().allMatch(Character::isDigit)) continue;
        try {
          String cmd = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8);
          if (cmd.contains(text)) found.add(dir.getFileName() + ": " + cmd.replace('\0', ' '));
        } catch (IOException e) {
          // Exited meanwhile.
        }
      }
    }
    return found;
  }
}
