package dev.pier.build;

import dev.pier.build.custom.BuildpackSource;
import dev.pier.build.custom.CustomBuildpack;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds an app's source into a slug, Heroku style: reads the Procfile and app.yaml, picks the
 * first buildpack of the detection order that detects the source (or runs the app's own
 * buildpacks, {@link BuildRequest#buildpacks()}, all in order), hands the source and cache to
 * the app's user, compiles in the sandbox, works out the process types and packs the slug. Steps
 * run within the {@link BuildLimits}: in cgroups of their own under the given {@link Cgroups},
 * and the whole build within its timeout (the config var {@value BuildTimeout#CONFIG_VAR}
 * sets an app's own).
 *
 * <p>Thread-safe: one Builder can run many builds at once, as long as they use different source
 * and cache directories.
 */
public final class Builder {
  static final String NO_BUILDPACK =
      "No buildpack detected: add a Procfile or a file one of Pier's buildpacks looks for"
          + " (package.json, ...: see the Buildpacks section of the user guide),"
          + " or choose one with `pier buildpacks:set`";
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

  /**
   * The standard detection order, one buildpack a line, first match wins (documented in
   * docs/users.md, "Buildpacks"): static, nodejs, java, python, go, then procfile-only.
   */
  public static Builder standard(Sandbox sandbox) {
    return standard(sandbox, null);
  }

  /**
   * The standard detection order, with the Node.js buildpack downloading the Node.js each app asks
   * for with {@code node} (null: every Node.js app uses the server's own node).
   */
  public static Builder standard(Sandbox sandbox, dev.pier.build.nodejs.NodeInstaller node) {
    return new Builder(sandbox, List.of(
        new dev.pier.build.staticsite.StaticSiteBuildpack(),
        new NodejsBuildpack(node),
        new JavaBuildpack(),
        new PythonBuildpack(),
        new GoBuildpack(),
        new ProcfileBuildpack()));
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

  /** The names of the built-in buildpacks, in detection order ({@code nodejs}, ..., {@code procfile}). */
  public List<String> names() {
    return detectionOrder.stream().map(Buildpack::name).toList();
  }

  /**
   * Checks a buildpack an app asks for ({@code pier buildpacks:set}) and returns it in the form
   * to store: a built-in name (also as {@code heroku/NAME}), a git URL, a tarball or a server
   * directory.
   *
   * @throws IllegalArgumentException with a user-facing reason when it is none of these
   */
  public String checkBuildpack(String source) {
    return BuildpackSource.parse(source, names()).toString();
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
    Path work = workDir(request);
    try {
      return buildOrFail(request, out, work);
    } catch (BuildFailure f) {
      out.warn(f.getMessage());
      return new BuildResult.Failed(f.getMessage());
    } catch (IOException | UncheckedIOException e) {
      log.error("build of {} failed inside Pier", request.app(), e);
      String reason = "Pier could not complete the build: " + e.getMessage();
      out.warn(reason);
      return new BuildResult.Failed(reason);
    } finally {
      try {
        BuildDisk.deleteTree(work);
      } catch (IOException e) {
        log.warn("cannot delete {}: {}", work, e.getMessage());
      }
    }
  }

  /**
   * Where custom buildpacks of this build are fetched to: beside the source tree, in Pier's
   * directory (not the app's), deleted when the build ends.
   */
  private static Path workDir(BuildRequest request) {
    return request.sourceDir().resolveSibling(request.sourceDir().getFileName() + ".buildpacks");
  }

  private BuildResult buildOrFail(BuildRequest request, BuildOutput out, Path work)
      throws BuildFailure, IOException {
    BuildLimits buildLimits = limits;
    java.time.Duration own = BuildTimeout.of(request.configVars());
    if (own != null && own.compareTo(limits.timeout()) > 0) {
      // The operator's timeout is the most a build may take: an app may only shorten it.
      out.warn(BuildTimeout.CONFIG_VAR + " " + BuildContext.describe(own) + " is more than this Pier's build"
          + " timeout of " + BuildContext.describe(limits.timeout()) + ": using " + BuildContext.describe(limits.timeout()));
      own = limits.timeout();
    }
    if (own != null) buildLimits = limits.withTimeout(own);
    long deadline = System.nanoTime() + buildLimits.timeout().toNanos();
    Path dir = request.sourceDir();
    Map<String, String> procfile =
        AppFiles.exists(dir, Procfile.FILE_NAME)
            ? Procfile.parse(AppFiles.read(dir, Procfile.FILE_NAME))
            : null;
    AppYaml appYaml =
        AppFiles.exists(dir, AppYaml.FILE_NAME)
            ? AppYaml.parse(AppFiles.read(dir, AppYaml.FILE_NAME))
            : null;
    List<Buildpack> chosen;
    boolean explicit = !request.buildpacks().isEmpty();
    if (explicit) {
      chosen = resolve(request.buildpacks(), work);
      out.step("Building " + request.app() + " with "
          + (chosen.size() == 1 ? "the buildpack " : "the buildpacks ")
          + String.join(", ", chosen.stream().map(Buildpack::name).toList()) + " (set for the app)");
    } else {
      Buildpack byRuntime = appYaml == null ? null : forRuntime(appYaml.runtime());
      if (appYaml != null && byRuntime == null && procfile == null) {
        throw new BuildFailure("app.yaml runtime '" + appYaml.runtime() + "' is not supported by"
            + " any buildpack: Pier builds " + supportedRuntimes() + " (app.yaml runtime) and any"
            + " app with a Procfile");
      }
      chosen = List.of(detect(dir, byRuntime));
      out.step("Building " + request.app() + " with the " + chosen.getFirst().name() + " buildpack");
    }
    if (appYaml != null) reportAppYaml(appYaml, procfile, explicit, out);
    if (disks.caps() && buildLimits.diskBytes() > 0) {
      try (BuildDisk disk = BuildDisk.open(disks, request, buildLimits.diskBytes(), out, ownership)) {
        return compile(request, out, chosen, explicit, procfile, appYaml, buildLimits, deadline, disk);
      }
    }
    prepare(request);
    return compile(request, out, chosen, explicit, procfile, appYaml, buildLimits, deadline, null);
  }

  /** The app's own buildpacks, each fetched (custom ones) into a directory of its own under {@code work}. */
  private List<Buildpack> resolve(List<String> sources, Path work) throws BuildFailure {
    List<Buildpack> resolved = new ArrayList<>();
    for (String text : sources) {
      BuildpackSource source;
      try {
        source = BuildpackSource.parse(text, names());
      } catch (IllegalArgumentException e) {
        throw new BuildFailure("buildpack '" + text + "': " + e.getMessage());
      }
      if (source instanceof BuildpackSource.BuiltIn builtIn) {
        resolved.add(byName(builtIn.name()));
      } else {
        resolved.add(new CustomBuildpack(source, work.resolve(Integer.toString(resolved.size() + 1))));
      }
    }
    return resolved;
  }

  private Buildpack byName(String name) throws BuildFailure {
    for (Buildpack b : detectionOrder) {
      if (b.name().equals(name)) return b;
    }
    throw new BuildFailure("no built-in buildpack '" + name + "': Pier has " + String.join(", ", names()));
  }

  /** The first buildpack of the order that builds app.yaml's runtime ({@code java17}: java), or null. */
  private Buildpack forRuntime(String runtime) {
    String family = runtimeFamily(runtime);
    for (Buildpack b : detectionOrder) {
      if (b.runtimes().contains(family)) return b;
    }
    return null;
  }

  /** {@code nodejs20} -> {@code nodejs}, {@code java17} -> {@code java}, {@code go1.22} -> {@code go}. */
  static String runtimeFamily(String runtime) {
    return runtime == null ? "" : runtime.strip().toLowerCase(Locale.ROOT).replaceFirst("[0-9._-]+$", "");
  }

  /** "nodejs, java" (the runtimes of the buildpacks, in detection order), or "no runtime". */
  private String supportedRuntimes() {
    List<String> all = new ArrayList<>();
    for (Buildpack b : detectionOrder) {
      for (String r : b.runtimes()) {
        if (!all.contains(r)) all.add(r);
      }
    }
    return all.isEmpty() ? "no runtime" : String.join(", ", all);
  }

  /**
   * Compiles in the disk's copy of the source when there is a disk, else in place, with each
   * buildpack in turn; packs the slug.
   */
  private BuildResult compile(
      BuildRequest request, BuildOutput out, List<Buildpack> buildpacks, boolean explicit,
      Map<String, String> procfile, AppYaml appYaml, BuildLimits buildLimits, long deadline,
      BuildDisk disk) throws BuildFailure, IOException {
    Path dir = disk == null ? request.sourceDir() : disk.appDir();
    BuildContext ctx =
        new BuildContext(request, dir, disk == null ? request.cacheDir() : disk.cacheDir(),
            disk, out, new SandboxedCommand(sandbox), cgroups, buildLimits, deadline);
    List<String> languages = new ArrayList<>();
    // Only the Node.js buildpack says which cached Node.js the release mounts, never the source.
    dev.pier.build.nodejs.NodeMount.clear(dir);
    int n = 0;
    for (Buildpack buildpack : buildpacks) {
      n++;
      if (buildpacks.size() > 1) {
        out.step("Buildpack " + n + " of " + buildpacks.size() + ": " + buildpack.name());
      }
      String language = explicit ? buildpack.detect(ctx) : buildpack.name();
      if (language == null) {
        throw new BuildFailure("The buildpack " + buildpack.name() + " set for this app cannot"
            + " build it: it detected nothing it builds (see `pier buildpacks`)");
      }
      if (explicit && !language.equals(buildpack.name())) out.info(language + " app detected");
      languages.add(language);
      buildpack.compile(ctx);
    }

    Map<String, String> processTypes =
        ProcessTypes.resolve(procfile, appYaml, ctx.defaultProcessTypes(), out);
    if (appYaml != null) HandlerFiles.check(dir, appYaml.serving(), out);
    long bytes = SlugWriter.write(dir, request.slugFile());
    // Instances' environment from the build: the buildpacks' defaults, then app.yaml's
    // env_variables (config vars win over both when instances start).
    Map<String, String> env = new LinkedHashMap<>(ctx.defaultEnv());
    if (appYaml != null) env.putAll(appYaml.envVariables());
    for (Map.Entry<String, String> e : env.entrySet()) {
      // YAML's "\0" makes a real NUL, which no process environment can carry (and which would
      // split the sandbox's argument file): refused here, with its name, not at every start.
      if (e.getValue().indexOf('\0') >= 0) {
        throw new BuildFailure("environment variable " + e.getKey()
            + " (app.yaml env_variables or a buildpack's config_vars) holds a NUL character: remove it");
      }
    }
    return new BuildResult.Succeeded(
        request.slugFile(), processTypes, env,
        String.join(", ", buildpacks.stream().map(Buildpack::name).toList()), bytes,
        appYaml == null ? null : appYaml.readinessPath(),
        appYaml == null ? AppScaling.NONE : appYaml.scaling(),
        String.join(", ", languages.stream().distinct().toList()), ctx.runtime());
  }

  private Buildpack detect(Path dir, Buildpack preferred) throws BuildFailure {
    if (preferred != null && preferred.detect(dir)) return preferred;
    for (Buildpack buildpack : detectionOrder) {
      if (buildpack.detect(dir)) return buildpack;
    }
    throw new BuildFailure(NO_BUILDPACK);
  }

  private void reportAppYaml(
      AppYaml appYaml, Map<String, String> procfile, boolean explicit, BuildOutput out) {
    out.info("Reading app.yaml (runtime: " + appYaml.runtime() + ")");
    if (!explicit && forRuntime(appYaml.runtime()) == null) {
      out.warn("app.yaml runtime '" + appYaml.runtime() + "' is ignored: the Procfile is used");
    }
    if (appYaml.flexible()) {
      out.info("app.yaml env/vm setting accepted: Pier runs every app the same way");
    }
    if (!appYaml.ignoredKeys().isEmpty()) {
      out.warn("app.yaml keys ignored by Pier: " + String.join(", ", appYaml.ignoredKeys()));
    }
    appYaml.serving().warnings().forEach(out::warn);
    appYaml.serving().describe().forEach(out::info);
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
