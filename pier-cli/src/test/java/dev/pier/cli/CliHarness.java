package dev.pier.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@link PierCli#run} in-process with captured streams, a private HOME and the fake API. */
final class CliHarness {
  /** What one run printed and returned. */
  record Result(int exitCode, String out, String err) {}

  final Path home;
  final Map<String, String> env = new HashMap<>();

  /** A harness logged in to {@code api} through the environment variables. */
  CliHarness(Path home, FakePierApi api) {
    this(home);
    env.put("PIER_API_URL", api.url());
    env.put("PIER_API_TOKEN", FakePierApi.TOKEN);
  }

  /** A harness with only HOME (and PATH) set: not logged in. */
  CliHarness(Path home) {
    this.home = home;
    env.put("HOME", home.toString());
    env.put("PATH", System.getenv("PATH"));
  }

  Result run(String... args) {
    return runIn(home, "", args);
  }

  Result runIn(Path cwd, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = PierCli.run(args, o, e, env, cwd,
          new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    }
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs git in {@code dir} and returns its trimmed stdout; fails the test when git fails. */
  static String git(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError("git " + args[0] + " failed: " + output);
      }
      return output.strip();
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Makes {@code dir} an empty git repository. */
  static Path gitRepo(Path dir) throws IOException {
    Files.createDirectories(dir);
    git(dir, "init", "-q");
    return dir;
  }
}
