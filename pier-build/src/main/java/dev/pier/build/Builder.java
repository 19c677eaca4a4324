package dev.pier.build;

import dev.pier.build.go.GoBuildpack;
import dev.pier.build.java.JavaBuildpack;
import dev.pier.build.nodejs.NodejsBuildpack;
import dev.pier.build.procfile.ProcfileBuildpack;
import dev.pier.build.python.PythonBuildpack;
import dev.pier.sandbox.AppUser;
import dev.pier.sandbox.Cgroups;
import dev.pier.sandbox.Disks;
import dev.pier.sandbox.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds an app's source into a slug, Heroku style: reads the Procfile and app.yaml, picks the
 * first buildpack of the detection order that detects the source, hands the source and cache to
 * the app's user, compiles in the sandbox, works out the process types and packs the slug. Steps
 * run within the {@link BuildLimits}: in cgroups of their own under the given {@link Cgroups},
 * and the whole build within its timeout.
 *
 * <p>Thread-safe: one Builder can run many builds at once, as long as they use different source
 * and cache directories.
 */
public final class Builder {
  static final String NO_BUILDPACK =
      "No buildpack detected: add a package.json (Node.js) or a Procfile";
  static final String NO_PROCESS_TYPES =
      "No process types: add a Procfile with a 'web: <command>' line, an app.yaml entrypoint,"
          + " or a \"start\" script in package.json";

  private static final Logger log = LoggerFactory.getLogger(Builder.class);

  private final Sandbox sandbox;
  private final List<Buildpack> detectionOrder;
  private final Cgroups cgroups;
  private final BuildLimits limits;
  private final Disks disks;
  private final Ownership ownership = new Ownership();

  /**
   * A builder with the default limits, no cgroups and no disks (only the timeout and the /tmp
   * size apply).
   */
  public Builder(Sandbox sandbox, List<Buildpack> detectionOrder) {
    this(sandbox, detectionOrder, Cgroups.none(), BuildLimits.DEFAULT, Disks.NONE);
  }

  private Builder(
      Sandbox sandbox, List<Buildpack> detectionOrder, Cgroups cgroups, BuildLimits limits, Disks disks) {
    this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
    this.detectionOrder = List.copyOf(detectionOrder);
    this.cgroups = Objects.requireNonNull(cgroups, "cgroups");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.disks = Objects.requireNonNull(disks, "disks");
  }

  /** The standard detection order: nodejs, java, python, go, then procfile-only. */
  public static Builder standard(Sandbox sandbox) {
    return new Builder(sandbox, List.of(new NodejsBuildpack(),
        new JavaBuildpack(), new PythonBuildpack(), new GoBuildpack(), new ProcfileBuildpack()));
  }

  /** A builder like this one with other limits. */
  public Builder withLimits(BuildLimits newLimits) {
    return new Builder(sandbox, detectionOrder, cgroups, newLimits, disks);
  }

  /**
   * A builder like this one whose steps run in cgroups under {@code newCgroups}, where the memory,
   * process and CPU limits apply and through which every process of a step is killed when it ends.
   */
  public Builder withCgroups(Cgroups newCgroups) {
    return new Builder(sandbox, detectionOrder, newCgroups, limits, disks);
  }

  /**
   * A builder like this one whose builds write to a disk of the app's, capped at {@link
   * BuildLimits#diskBytes()} (see {@link BuildDisk}), when {@code newDisks} caps.
   */
  public Builder withDisks(Disks newDisks) {
    return new Builder(sandbox, detectionOrder, cgroups, limits, newDisks);
  }

  public BuildLimits limits() {
    return limits;
  }

  public List<Buildpack> detectionOrder() {
    return detectionOrder;
  }

  /**
   * Builds {@code request.sourceDir()} (in place, or a copy of it on the app's build disk when
   * disks are capped) and writes the slug. Output streams to {@code
   * out} as it happens; a failure's reason is also written there as the last warn line.
   *
   * <p>Never throws for problems in the app: those return {@link BuildResult.Failed}. Problems
   * of this host (unwritable slug directory, failing chown) also return Failed, with a reason
   * that says it is Pier's.
   *
   * @throws IllegalArgumentException if the source directory does not exist
   */
  public BuildResult build(BuildRequest request, BuildOutput out) {
    if (!Files.isDirectory(request.sourceDir(), LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException("not a directory: " + request.sourceDir());
    }
    try {
      return buildOrFail(request, out);
    } catch (BuildFailure f) {
      out.warn(f.getMessage());
      return new BuildResult.Failed(f.getMessage());
    } catch (IOException | UncheckedIOException e) {
      log.error("build of {} failed inside Pier", request.app(), e);
      String reason = "Pier could not complete the build: " + e.getMessage();
      out.warn(reason);
      return new BuildResult.Failed(reason);
    }
  }

  private BuildResult buildOrFail(BuildRequest request, BuildOutput out)
      throws BuildFailure, IOException {
    long deadline = System.nanoTime() + limits.timeout().toNanos();
    Path dir = request.sourceDir();
    Map<String, String> procfile =
        AppFiles.exists(dir, Procfile.FILE_NAME)
            ? Procfile.parse(AppFiles.read(dir, Procfile.FILE_NAME))
            : null;
    AppYaml appYaml =
        AppFiles.exists(dir, AppYaml.FILE_NAME)
            ? AppYaml.parse(AppFiles.read(dir, AppYaml.FILE_NAME))
            : null;
    if (appYaml != null && !appYaml.isNodejs() && procfile == null) {
      throw new BuildFailure("app.yaml runtime '" + appYaml.runtime() + "' is not supported:"
          + " Pier builds Node.js apps (runtime: nodejs) and any app with a Procfile");
    }
    Buildpack buildpack = detect(dir);

    out.step("Building " + request.app() + " with the " + buildpack.name() + " buildpack");
    if (appYaml != null) reportAppYaml(appYaml, procfile, out);
    if (disks.caps() && limits.diskBytes() > 0) {
      try (BuildDisk disk = BuildDisk.open(disks, request, limits.diskBytes(), out, ownership)) {
        return compile(request, out, buildpack, procfile, appYaml, deadline, disk);
      }
    }
    prepare(request);
    return compile(request, out, buildpack, procfile, appYaml, deadline, null);
  }

  /** Compiles in the disk's copy of the source when there is a disk, else in place; packs the slug. */
  private BuildResult compile(
      BuildRequest request, BuildOutput out, Buildpack buildpack, Map<String, String> procfile,
      AppYaml appYaml, long deadline, BuildDisk disk) throws BuildFailure, IOException {
    Path dir = disk == null ? request.sourceDir() : disk.appDir();
    BuildContext ctx =
        new BuildContext(request, dir, disk == null ? request.cacheDir() : disk.cacheDir(),
            disk, out, new SandboxedCommand(sandbox), cgroups, limits, deadline);
    buildpack.compile(ctx);

    Map<String, String> processTypes =
        ProcessTypes.resolve(procfile, appYaml, ctx.defaultProcessTypes(), out);
    long bytes = SlugWriter.write(dir, request.slugFile());
    // Instances' environment from the build: the buildpack's defaults, then app.yaml's
    // env_variables (config vars win over both when instances start).
    Map<String, String> env = new java.util.LinkedHashMap<>(ctx.defaultEnv());
    if (appYaml != null) env.putAll(appYaml.envVariables());
    return new BuildResult.Succeeded(
        request.slugFile(), processTypes, env, buildpack.name(), bytes,
        appYaml == null ? null : appYaml.readinessPath(),
        appYaml == null ? AppScaling.NONE : appYaml.scaling());
  }

  private Buildpack detect(Path dir) throws BuildFailure {
    for (Buildpack buildpack : detectionOrder) {
      if (buildpack.detect(dir)) return buildpack;
    }
    throw new BuildFailure(NO_BUILDPACK);
  }

  private static void reportAppYaml(
      AppYaml appYaml, Map<String, String> procfile, BuildOutput out) {
    out.info("Reading app.yaml (runtime: " + appYaml.runtime() + ")");
    if (!appYaml.isNodejs()) {
      out.warn("app.yaml runtime '" + appYaml.runtime() + "' is ignored: the Procfile is used");
    }
    if (appYaml.flexible()) {
      out.info("app.yaml env/vm setting accepted: Pier runs every app the same way");
    }
    if (!appYaml.ignoredKeys().isEmpty()) {
      out.warn("app.yaml keys ignored by Pier: " + String.join(", ", appYaml.ignoredKeys()));
    }
    AppScaling scaling = appYaml.scaling();
    scaling.notes().forEach(out::info);
    scaling.warnings().forEach(out::warn);
    if (!scaling.isEmpty()) {
      out.info("app.yaml sets: " + scaling.describe() + " (applied when the release is created)");
    }
    if (procfile != null && procfile.containsKey("web") && appYaml.entrypoint() != null) {
      out.info("app.yaml entrypoint is ignored: the Procfile's web command is used");
    }
  }

  /** Creates the cache directory and, when running as root, hands both directories to the app. */
  private void prepare(BuildRequest request) throws BuildFailure, IOException {
    Files.createDirectories(request.cacheDir());
    BuildDisk.dropCappedCache(request.cacheDir());
    AppUser user = request.user();
    if (user == null) return;
    ownership.requireReachable(request.sourceDir(), user);
    ownership.requireReachable(request.cacheDir(), user);
    ownership.chown(request.sourceDir(), user);
    ownership.chown(request.cacheDir(), user);
  }
}
