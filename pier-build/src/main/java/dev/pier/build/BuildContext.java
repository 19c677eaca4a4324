package dev.pier.build;

import dev.pier.model.AppName;
import dev.pier.model.ProcessType;
import dev.pier.sandbox.Mount;
import dev.pier.sandbox.SandboxSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a {@link Buildpack} works with during one build: the app directory, the cache, the output,
 * and sandboxed command execution. Created by the {@link Builder}, one per build.
 *
 * <p>Inside the sandbox the app directory is {@value #APP_MOUNT} (the working directory) and the
 * cache directory is {@value #CACHE_MOUNT}, both writable. Steps see the app's config vars, then
 * the step's own variables, then {@code PATH} ({@value #PATH}) and {@code HOME=/tmp}, later ones
 * winning.
 */
public final class BuildContext {
  public static final String APP_MOUNT = "/app";
  public static final String CACHE_MOUNT = "/cache";
  public static final String PATH = "/app/node_modules/.bin:/usr/local/bin:/usr/bin:/bin";

  private final BuildRequest request;
  private final BuildOutput out;
  private final SandboxedCommand commands;
  private final Duration stepTimeout;
  private final Map<String, String> defaultProcessTypes = new LinkedHashMap<>();

  BuildContext(
      BuildRequest request, BuildOutput out, SandboxedCommand commands, Duration stepTimeout) {
    this.request = request;
    this.out = out;
    this.commands = commands;
    this.stepTimeout = stepTimeout;
  }

  public AppName app() {
    return request.app();
  }

  /** The directory being built in place, on the host. */
  public Path appDir() {
    return request.sourceDir();
  }

  /** The per-app cache directory, on the host. */
  public Path cacheDir() {
    return request.cacheDir();
  }

  public Map<String, String> configVars() {
    return request.configVars();
  }

  public BuildOutput out() {
    return out;
  }

  /** True when the app root has an entry named {@code name}. */
  public boolean hasFile(String name) {
    return AppFiles.exists(appDir(), name);
  }

  /**
   * Reads a small UTF-8 file from the app root.
   *
   * @throws BuildFailure if it is a symlink or directory, larger than 1 MiB, or not UTF-8
   */
  public String readFile(String name) throws BuildFailure {
    return AppFiles.read(appDir(), name);
  }

  /**
   * Runs {@code command} in the sandbox as the app's user, handing each output line to {@code
   * lines} as it is printed, and returns the exit code.
   *
   * @param label how the step is named in failure reasons, e.g. {@code npm ci}
   * @param env variables for this step, on top of the config vars
   * @throws BuildFailure if the step cannot start, runs past the step timeout (its processes are
   *     killed) or the build thread is interrupted
   */
  public int run(String label, List<String> command, Map<String, String> env, Consumer<String> lines)
      throws BuildFailure {
    try {
      return commands.run(spec(command, env), stepTimeout, lines);
    } catch (SandboxedCommand.TimedOut e) {
      throw new BuildFailure(label + " timed out after " + describe(stepTimeout));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildFailure(label + " was cancelled");
    } catch (IOException e) {
      throw new BuildFailure(label + " could not start: " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code command} like {@link #run}, streaming its output as info lines.
   *
   * @throws BuildFailure {@code "LABEL failed (exit code N)"} when it exits non-zero
   */
  public void runOrFail(String label, List<String> command, Map<String, String> env)
      throws BuildFailure {
    int code = run(label, command, env, out::info);
    if (code != 0) throw new BuildFailure(label + " failed (exit code " + code + ")");
  }

  /**
   * Declares a process type the app gets unless its Procfile (or, for {@code web}, its app.yaml
   * entrypoint) says otherwise; Heroku's "default types for buildpack".
   */
  public void defaultProcessType(String type, String command) {
    ProcessType.of(type);
    if (command == null || command.isBlank()) throw new IllegalArgumentException("empty command");
    defaultProcessTypes.put(type, command);
  }

  Map<String, String> defaultProcessTypes() {
    return Collections.unmodifiableMap(defaultProcessTypes);
  }

  private SandboxSpec spec(List<String> command, Map<String, String> env) {
    Map<String, String> all = new HashMap<>(request.configVars());
    all.putAll(env);
    all.put("PATH", PATH);
    all.put("HOME", "/tmp");
    return new SandboxSpec(
        request.user(),
        request.sourceDir(),
        List.of(Mount.writable(request.cacheDir(), CACHE_MOUNT)),
        all,
        command,
        List.of());
  }

  static String describe(Duration d) {
    if (d.toMinutes() > 0 && d.toSecondsPart() == 0) {
      return d.toMinutes() + (d.toMinutes() == 1 ? " minute" : " minutes");
    }
    long s = Math.max(1, d.toSeconds());
    return s + (s == 1 ? " second" : " seconds");
  }
}
