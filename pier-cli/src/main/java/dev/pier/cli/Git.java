package dev.pier.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code git} executable, always as {@code git -C DIR ...}, with the run's {@code HOME}
 * and prompts disabled. A missing {@code git} counts as "not a git repository" for lookups and is a
 * {@link CliException} for changes.
 */
final class Git {
  private static final long TIMEOUT_SECONDS = 30;
  private final Map<String, String> env;

  Git(Map<String, String> env) {
    this.env = env;
  }

  /** The outcome of one git command. */
  record Result(int exitCode, byte[] stdout, String stderr) {
    boolean ok() {
      return exitCode == 0;
    }

    String text() {
      return new String(stdout, StandardCharsets.UTF_8).strip();
    }
  }

  /** Returns whether {@code dir} is inside a git work tree. */
  boolean isWorkTree(Path dir) {
    Optional<Result> result = tryRun(dir, "rev-parse", "--is-inside-work-tree");
    return result.isPresent() && result.get().ok() && result.get().text().equals("true");
  }

  /** Returns the URL of a remote, or empty when there is no such remote or no repository. */
  Optional<String> remoteUrl(Path dir, String remote) {
    return tryRun(dir, "config", "--get", "remote." + remote + ".url")
        .filter(Result::ok)
        .map(Result::text)
        .filter(url -> !url.isEmpty());
  }

  /**
   * Points {@code remote} at {@code url}, adding the remote when it does not exist.
   *
   * @return true when the remote was added, false when an existing one was updated
   */
  boolean setRemote(Path dir, String remote, String url) {
    boolean exists = tryRun(dir, "remote", "get-url", remote).map(Result::ok).orElse(false);
    Result result =
        exists ? run(dir, "remote", "set-url", remote, url) : run(dir, "remote", "add", remote, url);
    if (!result.ok()) {
      throw new CliException("git remote failed: " + result.stderr().strip());
    }
    return !exists;
  }

  /**
   * Makes {@code helper} the only git credential helper for URLs under {@code urlPrefix}, in the
   * repository's own config.
   */
  void setCredentialHelper(Path dir, String urlPrefix, String helper) {
    String key = "credential." + urlPrefix + ".helper";
    tryRun(dir, "config", "--unset-all", key);
    // An empty value first clears helpers configured globally for this URL (git's documented reset).
    Result reset = run(dir, "config", "--add", key, "");
    Result result = reset.ok() ? run(dir, "config", "--add", key, helper) : reset;
    if (!result.ok()) {
      throw new CliException("git config failed: " + result.stderr().strip());
    }
  }

  /** Removes a remote; does nothing when it does not exist. */
  void removeRemote(Path dir, String remote) {
    tryRun(dir, "remote", "remove", remote);
  }

  /**
   * Lists the files git would consider part of the work tree under {@code dir}: tracked files and
   * untracked ones that no ignore rule excludes, as paths relative to {@code dir}.
   */
  List<String> listFiles(Path dir) {
    Result result = run(dir, "ls-files", "-z", "--cached", "--others", "--exclude-standard");
    if (!result.ok()) {
      throw new CliException("git ls-files failed in " + dir + ": " + result.stderr().strip());
    }
    List<String> files = new ArrayList<>();
    for (String name : new String(result.stdout(), StandardCharsets.UTF_8).split("\0")) {
      if (!name.isEmpty()) {
        files.add(name);
      }
    }
    return files;
  }

  private Optional<Result> tryRun(Path dir, String... args) {
    try {
      return Optional.of(run(dir, args));
    } catch (CliException e) {
      return Optional.empty();
    }
  }

  /**
   * Runs {@code git -C dir args...} and waits for it.
   *
   * @throws CliException when git cannot be started or does not finish in time
   */
  Result run(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(Arrays.asList(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
    if (env.get("HOME") != null) {
      builder.environment().put("HOME", env.get("HOME"));
    }
    builder.environment().put("GIT_TERMINAL_PROMPT", "0");
    builder.environment().put("LC_ALL", "C");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new CliException("Cannot run git (is it installed?): " + e.getMessage());
    }
    try {
      process.getOutputStream().close();
      CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      byte[] stdout = process.getInputStream().readAllBytes();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new CliException("git " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS + "s");
      }
      return new Result(process.exitValue(), stdout, stderr.join());
    } catch (IOException e) {
      throw new CliException("git " + String.join(" ", args) + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("Interrupted");
    } finally {
      process.destroyForcibly();
    }
  }

  private static String readAll(InputStream stream) {
    try {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
