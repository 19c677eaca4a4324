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
 * @param slug a {@code .tar.gz} of the built app, entries relative to {@code /app}
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
    DiskQuota disk) {
  public InstanceSpec {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(slug, "slug");
    Objects.requireNonNull(stopGrace, "stopGrace");
    Objects.requireNonNull(disk, "disk");
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
        stopGrace, generation, readinessPath, newDisk);
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
