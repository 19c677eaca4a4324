package dev.pier.build;

import dev.pier.model.AppName;
import dev.pier.model.ProcessType;
import dev.pier.sandbox.Cgroup;
import dev.pier.sandbox.Cgroups;
import dev.pier.sandbox.Mount;
import dev.pier.sandbox.SandboxSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * What a {@link Buildpack} works with during one build: the app directory, the cache, the output,
 * and sandboxed command execution. Created by the {@link Builder}, one per build.
 *
 * <p>Inside the sandbox the app directory is {@value #APP_MOUNT} (the working directory) and the
 * cache directory is {@value #CACHE_MOUNT}, both writable. Steps see the app's config vars, then
 * the step's own variables, then {@code PATH} and {@code HOME=/tmp}, later ones winning. {@code
 * PATH} is {@value #BASE_PATH} after the directories buildpacks added with {@link #prependPath}
 * (the Node.js buildpack adds {@code /app/node_modules/.bin}); nothing language-specific is on it
 * otherwise. The PATH instances get is the base one unless a buildpack declares another with
 * {@link #prependRuntimePath} (or {@link #defaultEnv}).
 *
 * <p>Each step gets a private {@code /tmp} of {@link BuildLimits#tmpBytes()}. With a capped build
 * disk ({@link BuildDisk}), {@code /app} and {@code /cache} are on it, and a step that fails after
 * filling it fails with {@code "LABEL failed (exit code N): the build used more than N MB of
 * disk ..."}.
 *
 * <p>Each step runs in a cgroup of its own (where the host has cgroups) with the build's memory,
 * process and CPU limits, and ends with its command: whatever it left running (a daemon started by
 * a {@code postinstall} script) is killed, found through the cgroup, before the next step starts.
 */
public final class BuildContext {
  public static final String APP_MOUNT = "/app";
  public static final String CACHE_MOUNT = "/cache";
  /** The PATH of every build step and instance before buildpacks add to it. */
  public static final String BASE_PATH = "/usr/local/bin:/usr/bin:/bin";

  /**
   * The base PATH, kept for buildpacks written against the earlier API.
   *
   * @deprecated use {@link #path()}: it holds what buildpacks added
   */
  @Deprecated
  public static final String PATH = BASE_PATH;

  private final BuildRequest request;
  private final Path appDir;
  private final Path cacheDir;
  private final BuildDisk disk;
  private final BuildOutput out;
  private final SandboxedCommand commands;
  private final Cgroups cgroups;
  private final BuildLimits limits;
  private final long deadlineNanos;
  private final Map<String, String> defaultProcessTypes = new LinkedHashMap<>();
  private final Map<String, String> defaultEnv = new LinkedHashMap<>();
  private final java.util.Deque<String> pathEntries = new java.util.ArrayDeque<>();
  private final Ownership ownership = new Ownership();
  private volatile String runtime;
  private final List<Mount> stepMounts = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * A context whose build must end by {@code deadlineNanos} ({@link System#nanoTime()}), building
   * {@code appDir} with the cache {@code cacheDir}, both on {@code disk} (null: not capped).
   */
  BuildContext(
      BuildRequest request, Path appDir, Path cacheDir, BuildDisk disk, BuildOutput out,
      SandboxedCommand commands, Cgroups cgroups, BuildLimits limits, long deadlineNanos) {
    this.request = request;
    this.appDir = appDir;
    this.cacheDir = cacheDir;
    this.disk = disk;
    this.out = out;
    this.commands = commands;
    this.cgroups = cgroups;
    this.limits = limits;
    this.deadlineNanos = deadlineNanos;
  }

  public AppName app() {
    return request.app();
  }

  /** The directory being built in place, on the host. */
  public Path appDir() {
    return appDir;
  }

  /** The per-app cache directory, on the host. */
  public Path cacheDir() {
    return cacheDir;
  }

  /** The uid/gid build steps run as, or null when Pier is not root. */
  public dev.pier.sandbox.AppUser user() {
    return request.user();
  }

  /** What is left of the build's time (zero or less: it is over). */
  public Duration timeLeft() {
    return Duration.ofNanos(deadlineNanos - System.nanoTime());
  }

  /** The build's whole timeout, for messages. */
  public Duration timeout() {
    return limits.timeout();
  }

  /** The failure of a build that ran past its timeout: {@code "build timed out after 15m"}. */
  public BuildFailure timedOutFailure() {
    return timedOut();
  }

  /**
   * Hands {@code path} (recursively, not following symbolic links) to the app's user, so build
   * steps can use what Pier put there; does nothing when Pier is not root.
   */
  public void handToApp(Path path) throws BuildFailure {
    if (request.user() == null) return;
    try {
      ownership.chown(path, request.user());
    } catch (IOException e) {
      throw new BuildFailure("Pier could not hand " + path.getFileName() + " to the app user: "
          + e.getMessage(), e);
    }
  }

  /**
   * Puts {@code dir} (a path inside the sandbox, e.g. {@code /app/node_modules/.bin}) at the front
   * of the PATH of every later build step.
   */
  public void prependPath(String dir) {
    requirePathEntry(dir);
    pathEntries.remove(dir);
    pathEntries.addFirst(dir);
  }

  /** The PATH build steps get now: what buildpacks prepended, then {@value #BASE_PATH}. */
  public String path() {
    return pathEntries.isEmpty() ? BASE_PATH : String.join(":", pathEntries) + ":" + BASE_PATH;
  }

  /**
   * Puts {@code dir} at the front of the PATH the app's instances get (recorded as the default
   * env var {@code PATH}, which a config var PATH overrides).
   */
  public void prependRuntimePath(String dir) {
    requirePathEntry(dir);
    String current = defaultEnv.getOrDefault("PATH", BASE_PATH);
    List<String> entries = new ArrayList<>(List.of(current.split(":")));
    entries.remove(dir);
    entries.addFirst(dir);
    defaultEnv.put("PATH", String.join(":", entries));
  }

  private static void requirePathEntry(String dir) {
    if (dir == null || !dir.startsWith("/") || dir.contains(":") || dir.contains("\n")) {
      throw new IllegalArgumentException("not an absolute directory for PATH: " + dir);
    }
  }

  /**
   * Records the language runtime the app builds and runs with, e.g. {@code Node.js 22.12.0}, for
   * the release ({@code pier releases:info} shows it).
   */
  public void runtime(String description) {
    runtime = description;
  }

  /**
   * Binds {@code mount} into every later build step (a shared language runtime, read-only: the
   * same path the release's instances get it at, so PATH and shebangs work in both).
   */
  public void mountForSteps(Mount mount) {
    if (mount.writable()) throw new IllegalArgumentException("runtime mounts are read-only: " + mount.target());
    stepMounts.removeIf(m -> m.target().equals(mount.target()));
    stepMounts.add(mount);
  }

  /** The runtime a buildpack recorded, or null. */
  String runtime() {
    return runtime;
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
   * @throws BuildFailure if the step cannot start, the build runs past its timeout (the step's
   *     processes are killed), the step failed after running out of memory or processes, or the
   *     build thread is interrupted
   */
  public int run(String label, List<String> command, Map<String, String> env, Consumer<String> lines)
      throws BuildFailure {
    return run(label, command, env, List.of(), lines);
  }

  /**
   * {@link #run(String, List, Map, Consumer)} with further host directories visible in the
   * sandbox (a buildpack's own files, read-only). The binds happen as the app's user: a
   * directory that user cannot reach fails the step.
   */
  public int run(String label, List<String> command, Map<String, String> env, List<Mount> mounts,
      Consumer<String> lines) throws BuildFailure {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) throw timedOut();
    Cgroup cgroup = cgroups.create(stepCgroupName(), limits.cgroup());
    DiskWatch watch = new DiskWatch(disk == null ? null : disk.disk());
    try {
      int code = commands.run(spec(command, env, mounts, cgroup), cgroup, Duration.ofNanos(left), watch.lines(lines));
      checkLimits(label, code, cgroup, watch.stop());
      return code;
    } catch (SandboxedCommand.TimedOut e) {
      throw timedOut();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildFailure(label + " was cancelled");
    } catch (IOException e) {
      throw new BuildFailure(label + " could not start: " + e.getMessage(), e);
    } finally {
      watch.stop();
      if (cgroup != null) {
        cgroup.killAll();
        cgroup.remove();
      }
    }
  }

  /** Says why a step failed when it hit a limit: the exit code alone would not tell. */
  private void checkLimits(String label, int code, Cgroup cgroup, DiskWatch.Seen disks)
      throws BuildFailure {
    boolean oom = cgroup != null && cgroup.oomKills() > 0;
    boolean pids = cgroup != null && cgroup.pidsLimitHits() > 0;
    String memory = "the build's memory limit of " + (limits.memoryBytes() >> 20) + " MB";
    String processes = "the build's limit of " + limits.pidsMax() + " processes and threads";
    if (code != 0 && oom) {
      throw new BuildFailure(label + " failed (exit code " + code + "): out of memory, a process was"
          + " killed for exceeding " + memory);
    }
    if (code != 0 && pids) {
      throw new BuildFailure(label + " failed (exit code " + code + "): it reached " + processes);
    }
    if (code != 0 && disks.diskFull()) throw disk.full(label + " failed (exit code " + code + ")");
    if (code != 0 && disks.noSpace()) {
      throw new BuildFailure(label + " failed (exit code " + code + "): out of disk space" + room());
    }
    if (disks.diskFull()) out.warn(label + ": filled the build's disk of " + disk.mb() + " MB; some writes failed");
    if (oom) out.warn(label + ": a process was killed for exceeding " + memory);
    if (pids) out.warn(label + ": reached " + processes + "; some processes could not start");
  }

  /** " (a build may write 256 MB to /tmp and 2048 MB to /app and /cache)", or "" when uncapped. */
  private String room() {
    List<String> caps = new ArrayList<>();
    if (limits.tmpBytes() > 0) caps.add((limits.tmpBytes() >> 20) + " MB to /tmp");
    if (disk != null) caps.add(disk.mb() + " MB to /app and /cache");
    return caps.isEmpty() ? "" : " (a build may write " + String.join(" and ", caps) + ")";
  }

  private BuildFailure timedOut() {
    return new BuildFailure("build timed out after " + describe(limits.timeout()));
  }

  private String stepCgroupName() {
    return "build-" + request.app().value() + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
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

  /**
   * Declares an environment variable the app's instances get unless app.yaml's env_variables or
   * a config var sets it (Heroku's buildpack default config vars, e.g. {@code NODE_ENV}).
   */
  public void defaultEnv(String name, String value) {
    if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new IllegalArgumentException("bad name " + name);
    defaultEnv.put(name, value);
  }

  Map<String, String> defaultEnv() {
    return Collections.unmodifiableMap(defaultEnv);
  }

  private SandboxSpec spec(
      List<String> command, Map<String, String> env, List<Mount> mounts, Cgroup cgroup) {
    Map<String, String> all = new HashMap<>(request.configVars());
    all.putAll(env);
    all.put("PATH", path());
    all.put("HOME", "/tmp");
    List<Mount> binds = new ArrayList<>(List.of(Mount.writable(cacheDir, CACHE_MOUNT)));
    binds.addAll(stepMounts);
    binds.addAll(mounts);
    return new SandboxSpec(
        request.user(),
        appDir,
        binds,
        all,
        command,
        cgroup == null ? List.of() : cgroup.procsFiles(),
        true,
        limits.tmpBytes());
  }

  /** "15m", "90s" as "1m30s", "1h": a timeout in a failure reason. */
  static String describe(Duration d) {
    long s = Math.max(1, d.toSeconds());
    StringBuilder text = new StringBuilder();
    if (s >= 3600) text.append(s / 3600).append('h');
    if (s % 3600 >= 60) text.append(s % 3600 / 60).append('m');
    if (s % 60 > 0) text.append(s % 60).append('s');
    return text.toString();
  }
}
