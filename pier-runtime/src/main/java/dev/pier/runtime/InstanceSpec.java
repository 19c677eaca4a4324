package dev.pier.runtime;

import dev.pier.model.AppName;
import dev.pier.model.ProcessType;
import dev.pier.sandbox.AppUser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What to run as one instance of an app.
 *
 * @param app the app the instance belongs to
 * @param type the Procfile process type; {@code web} instances are up once their port accepts
 *     connections
 * @param index 1-based number of the instance within its type ({@code web.1}, {@code web.2})
 * @param release the release version the instance runs, for display
 * @param slug a {@code .tar.gz} of the built app, entries relative to {@code /app}, in a local file;
 *     null only when {@code slugSource} is given and is no local file
 * @param command the shell command line, run as {@code /bin/sh -c COMMAND} (e.g. {@code npm start})
 * @param env the app's config vars; the backend adds {@code PORT}, {@code DYNO} (overriding any
 *     given value), and {@code HOME=/app} and a default {@code PATH} when missing
 * @param user the uid/gid the instance runs as, or null to keep the server's own user (only when
 *     the server does not run as root)
 * @param memoryLimitBytes the memory the instance's processes may use together; they are
 *     OOM-killed past it
 * @param stopGrace how long processes get between SIGTERM and SIGKILL when stopped
 * @param generation distinguishes instances of the same name running side by side (during a
 *     rolling restart the old and the new {@code web.1}); 0 when there is never more than one
 * @param readinessPath for web instances, an HTTP path that must answer 2xx before the instance
 *     is up; null to only wait for the port to accept connections
 * @param disk how much the instance may write to {@code /app} and {@code /tmp}
 * @param cpus the CPU time the instance's processes may use together, in cores per wall-clock
 *     second ({@code 0.25} = a quarter of one core, {@code 2} = two cores); 0 for no limit. The
 *     local backend enforces it with the cgroup CPU controller (CFS quota over a 100 ms period)
 * @param mode {@link RunMode#SERVICE} (restarted after it exits) or {@link RunMode#TASK} (runs
 *     once to completion, then listed as {@code COMPLETED} with its exit code until stopped)
 * @param bootTimeout how long a web service may take to listen on its port (or answer on its
 *     readiness path) before it is killed and counted as crashed; null for the backend's default.
 *     Tasks have no boot timeout
 * @param slugSource where the backend reads the slug from; null to read the file {@code slug}
 *     ({@link SlugSource#file}), which it then is. Backends that do not run on the machine
 *     holding the files use this rather than {@code slug}
 * @param interactive for a {@link RunMode#TASK} whose streams a client attaches to ({@link
 *     RuntimeBackend#attach}): its stdin, and its output that then goes to the client rather than
 *     to the logs, optionally through a pseudo-terminal; null for every other instance
 * @param probes readiness interval and liveness probe of a web service ({@link Probes#NONE}: quick
 *     readiness polling, no liveness probe)
 * @param runtimeMounts host directories bound read-only into the sandbox (a shared language
 *     runtime such as a cached Node.js); empty for most instances
 */
public record InstanceSpec(
    AppName app,
    ProcessType type,
    int index,
    int release,
    Path slug,
    String command,
    Map<String, String> env,
    AppUser user,
    long memoryLimitBytes,
    Duration stopGrace,
    int generation,
    String readinessPath,
    DiskQuota disk,
    double cpus,
    RunMode mode,
    Duration bootTimeout,
    SlugSource slugSource,
    Interactive interactive,
    Probes probes,
    java.util.List<RuntimeMount> runtimeMounts) {
  public InstanceSpec {
    if (probes == null) probes = Probes.NONE;
    runtimeMounts = runtimeMounts == null ? java.util.List.of() : java.util.List.copyOf(runtimeMounts);
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(type, "type");
    if (slugSource == null) {
      slugSource = SlugSource.file(Objects.requireNonNull(slug, "slug"));
    } else if (slugSource instanceof FileSlugSource file) {
      if (slug == null) slug = file.path();
      if (!slug.equals(file.path())) {
        throw new IllegalArgumentException("slug " + slug + " is not the slug source's " + file.path());
      }
    }
    Objects.requireNonNull(stopGrace, "stopGrace");
    Objects.requireNonNull(disk, "disk");
    Objects.requireNonNull(mode, "mode");
    env = Map.copyOf(env);
    if (index < 1) throw new IllegalArgumentException("instance index must be 1 or more: " + index);
    if (release < 0) throw new IllegalArgumentException("release must not be negative: " + release);
    if (command == null || command.isBlank()) throw new IllegalArgumentException("empty command");
    if (memoryLimitBytes <= 0) {
      throw new IllegalArgumentException("memory limit must be positive: " + memoryLimitBytes);
    }
    if (stopGrace.isNegative()) throw new IllegalArgumentException("negative stop grace");
    if (generation < 0) throw new IllegalArgumentException("negative generation");
    if (readinessPath != null && !readinessPath.startsWith("/")) {
      throw new IllegalArgumentException("readiness path must start with '/': " + readinessPath);
    }
    if (!(cpus >= 0) || Double.isInfinite(cpus)) {
      throw new IllegalArgumentException("CPU limit must be 0 (none) or a positive number of cores: " + cpus);
    }
    if (bootTimeout != null && (bootTimeout.isNegative() || bootTimeout.isZero())) {
      throw new IllegalArgumentException("boot timeout must be positive: " + bootTimeout);
    }
    if (interactive != null && mode != RunMode.TASK) {
      throw new IllegalArgumentException("only a task can be interactive");
    }
  }

  /** An instance without runtime mounts. */
  public InstanceSpec(
      AppName app, ProcessType type, int index, int release, Path slug, String command,
      Map<String, String> env, AppUser user, long memoryLimitBytes, Duration stopGrace,
      int generation, String readinessPath, DiskQuota disk, double cpus, RunMode mode,
      Duration bootTimeout, SlugSource slugSource, Interactive interactive, Probes probes) {
    this(app, type, index, release, slug, command, env, user, memoryLimitBytes, stopGrace,
        generation, readinessPath, disk, cpus, mode, bootTimeout, slugSource, interactive, probes, null);
  }

  /** This instance with {@code mounts} bound read-only into its sandbox (replacing any others). */
  public InstanceSpec withRuntimeMounts(java.util.List<RuntimeMount> mounts) {
    return new InstanceSpec(app, type, index, release, slug, command, env, user, memoryLimitBytes,
        stopGrace, generation, readinessPath, disk, cpus, mode, bootTimeout, slugSource, interactive, probes, mounts);
  }

  /** An instance with {@link Probes#NONE}. */
  public InstanceSpec(
      AppName app, ProcessType type, int index, int release, Path slug, String command,
      Map<String, String> env, AppUser user, long memoryLimitBytes, Duration stopGrace,
      int generation, String readinessPath, DiskQuota disk, double cpus, RunMode mode,
      Duration bootTimeout, SlugSource slugSource, Interactive interactive) {
    this(app, type, index, release, slug, command, env, user, memoryLimitBytes, stopGrace,
        generation, readinessPath, disk, cpus, mode, bootTimeout, slugSource, interactive, Probes.NONE);
  }

  /** This instance with other health probes (null: {@link Probes#NONE}). */
  public InstanceSpec withProbes(Probes newProbes) {
    return new InstanceSpec(app, type, index, release, slug, command, env, user, memoryLimitBytes,
        stopGrace, generation, readinessPath, disk, cpus, mode, bootTimeout, slugSource, interactive, newProbes, runtimeMounts);
  }

  /** An instance whose output goes to the logs (not {@link #interactive()}). */
  public InstanceSpec(
      AppName app, ProcessType type, int index, int release, Path slug, String command,
      Map<String, String> env, AppUser user, long memoryLimitBytes, Duration stopGrace,
      int generation, String readinessPath, DiskQuota disk, double cpus, RunMode mode,
      Duration bootTimeout, SlugSource slugSource) {
    this(app, type, index, release, slug, command, env, user, memoryLimitBytes, stopGrace,
        generation, readinessPath, disk, cpus, mode, bootTimeout, slugSource, null);
  }

  /** A service without a CPU limit, with the backend's boot timeout. */
  public InstanceSpec(
      AppName app, ProcessType type, int index, int release, Path slug, String command,
      Map<String, String> env, AppUser user, long memoryLimitBytes, Duration stopGrace,
      int generation, String readinessPath, DiskQuota disk) {
    this(app, type, index, release, slug, command, env, user, memoryLimitBytes, stopGrace,
        generation, readinessPath, disk, 0, RunMode.SERVICE, null, null);
  }

  /** An instance without disk quotas. */
  public InstanceSpec(
      AppName app, ProcessType type, int index, int release, Path slug, String command,
      Map<String, String> env, AppUser user, long memoryLimitBytes, Duration stopGrace,
      int generation, String readinessPath) {
    this(app, type, index, release, slug, command, env, user, memoryLimitBytes, stopGrace,
        generation, readinessPath, DiskQuota.NONE);
  }

  /** An instance run alone under its name, checked by its port only, without disk quotas. */
  public InstanceSpec(
      AppName app, ProcessType type, int index, int release, Path slug, String command,
      Map<String, String> env, AppUser user, long memoryLimitBytes, Duration stopGrace) {
    this(app, type, index, release, slug, command, env, user, memoryLimitBytes, stopGrace, 0, null);
  }

  /** This instance with other disk quotas. */
  public InstanceSpec withDisk(DiskQuota newDisk) {
    return new InstanceSpec(app, type, index, release, slug, command, env, user, memoryLimitBytes,
        stopGrace, generation, readinessPath, newDisk, cpus, mode, bootTimeout, slugSource, interactive, probes, runtimeMounts);
  }

  /** This instance limited to {@code newCpus} cores (0: no limit). */
  public InstanceSpec withCpus(double newCpus) {
    return new InstanceSpec(app, type, index, release, slug, command, env, user, memoryLimitBytes,
        stopGrace, generation, readinessPath, disk, newCpus, mode, bootTimeout, slugSource, interactive, probes, runtimeMounts);
  }

  /** This instance run as a service or as a task. */
  public InstanceSpec withMode(RunMode newMode) {
    return new InstanceSpec(app, type, index, release, slug, command, env, user, memoryLimitBytes,
        stopGrace, generation, readinessPath, disk, cpus, newMode, bootTimeout, slugSource, newMode == RunMode.TASK ? interactive : null, probes, runtimeMounts);
  }

  /** This instance run once to completion, never restarted: {@code withMode(RunMode.TASK)}. */
  public InstanceSpec withTask() {
    return withMode(RunMode.TASK);
  }

  /** This instance with its own boot timeout (null: the backend's default). */
  public InstanceSpec withBootTimeout(Duration newBootTimeout) {
    return new InstanceSpec(app, type, index, release, slug, command, env, user, memoryLimitBytes,
        stopGrace, generation, readinessPath, disk, cpus, mode, newBootTimeout, slugSource, interactive, probes, runtimeMounts);
  }

  /**
   * This instance with its slug read from {@code source}; {@link #slug()} is then the source's
   * file, or null when it is none.
   */
  public InstanceSpec withSlugSource(SlugSource source) {
    Objects.requireNonNull(source, "source");
    Path file = source instanceof FileSlugSource f ? f.path() : null;
    return new InstanceSpec(app, type, index, release, file, command, env, user, memoryLimitBytes,
        stopGrace, generation, readinessPath, disk, cpus, mode, bootTimeout, source, interactive, probes, runtimeMounts);
  }

  /**
   * This instance as a task a client attaches to (see {@link RuntimeBackend#attach}); null for
   * one whose output goes to the logs. Makes it a {@link RunMode#TASK}.
   */
  public InstanceSpec withInteractive(Interactive newInteractive) {
    return new InstanceSpec(app, type, index, release, slug, command, env, user, memoryLimitBytes,
        stopGrace, generation, readinessPath, disk, cpus, RunMode.TASK, bootTimeout, slugSource,
        newInteractive, probes, runtimeMounts);
  }

  /** True when it runs once to completion ({@link RunMode#TASK}). */
  public boolean task() {
    return mode == RunMode.TASK;
  }

  /**
   * The key of the instance within its app: {@link #name()}, suffixed with {@code -gN} when the
   * generation is not 0. Starting a spec with the id of a running instance replaces it.
   */
  public String id() {
    return generation == 0 ? name() : name() + "-g" + generation;
  }

  /** The instance name, {@code TYPE.INDEX}, e.g. {@code web.1}; also the value of {@code DYNO}. */
  public String name() {
    return type.value() + "." + index;
  }
}
