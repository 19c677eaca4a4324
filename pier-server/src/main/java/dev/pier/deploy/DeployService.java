package dev.pier.deploy;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.build.BuildOutput;
import dev.pier.build.BuildRequest;
import dev.pier.build.BuildResult;
import dev.pier.build.Builder;
import dev.pier.sandbox.NetworkGuard;
import dev.pier.config.ConfigStore;
import dev.pier.logs.LogBus;
import dev.pier.release.Release;
import dev.pier.release.ReleaseStore;
import dev.pier.store.DataDirs;
import dev.pier.versions.Traffic;
import dev.pier.versions.VersionStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a source tree into a running version:
 *
 * <pre>
 *   source dir -> Builder (slug) -> ReleaseStore (vN) -> app.yaml scaling and sizes to the formation
 *     -> Rollout (start, ready, traffic, drain old)
 * </pre>
 *
 * A failed build or a release that never becomes ready changes nothing: the previous release
 * keeps serving. Without promotion the new version runs beside the others with no public
 * traffic, reachable at its version URL.
 */
public final class DeployService {
  /** What a deploy ended with: the new release, or the reason it failed. */
  public sealed interface Outcome {
    record Released(Release release) implements Outcome {}

    record Failed(String reason) implements Outcome {}
  }

  private final Builder builder;
  private final NetworkGuard network;
  private final ReleaseStore releases;
  private final ConfigStore config;
  private final ProcessManager processes;
  private final Rollout rollout;
  private final VersionStore versions;
  private final LogBus logs;
  private final DataDirs dirs;
  private final AppService apps;
  private final InstantSource clock;
  private final BuildStore builds;
  private final AppYamlFormation appYaml;
  private volatile dev.pier.store.DiskSpace disk = dev.pier.store.DiskSpace.UNCHECKED;
  private volatile SourceHook sourceHook = SourceHook.NONE;
  private volatile ReleasePhase releasePhase = ReleasePhase.NONE;

  public DeployService(
      Builder builder, ReleaseStore releases, ConfigStore config, ProcessManager processes,
      Rollout rollout, VersionStore versions, LogBus logs, DataDirs dirs, AppService apps,
      InstantSource clock, BuildStore builds, NetworkGuard network) {
    this.builds = builds;
    this.network = network;
    this.builder = builder;
    this.releases = releases;
    this.config = config;
    this.processes = processes;
    this.rollout = rollout;
    this.versions = versions;
    this.logs = logs;
    this.dirs = dirs;
    this.apps = apps;
    this.clock = clock;
    this.appYaml = new AppYamlFormation(processes.formations(), logs,
        (app, seconds) -> apps.setBootTimeout(app, seconds, "app.yaml"));
  }

  /** Refuses deploys (507) while the data disk is below its reserve. */
  public void guardDisk(dev.pier.store.DiskSpace disk) {
    this.disk = disk;
  }

  /** Reads files such as cron.yaml from each pushed source before its build (#13 scheduled jobs). */
  /** Runs the Procfile's {@code release:} command of each built release before it launches. */
  public void releasePhase(ReleasePhase phase) {
    this.releasePhase = java.util.Objects.requireNonNull(phase, "phase");
  }

  /** The release phase every release runs before it launches (pipeline promotions too). */
  public ReleasePhase releasePhase() {
    return releasePhase;
  }

  public void sourceHook(SourceHook hook) {
    this.sourceHook = hook;
  }

  /** Throws a 507 {@link dev.pier.errors.PlatformException} while the data disk is below its reserve. */
  public void requireDisk(App app) {
    disk.require("build " + app.name());
  }

  /** A fresh, empty directory to put a source tree into before calling {@link #deploy}. */
  public Path newSourceDir(App app) throws IOException {
    Path dir = dirs.builds(app.name()).resolve(UUID.randomUUID().toString());
    Files.createDirectories(dir);
    // Traversable, not listable; the source tree itself is owner-only (the builder gives it to
    // the app's uid), so other apps cannot read it.
    DataDirs.chmod(dir.getParent(), "rwx--x--x");
    DataDirs.chmod(dir, "rwx------");
    return dir;
  }

  /**
   * Runs {@code work} holding the app's lock, the one every change of what runs takes (deploys,
   * config changes, rollbacks, splits); says so on {@code out} when it has to wait.
   */
  public <T> T exclusively(App app, BuildOutput out, java.util.concurrent.Callable<T> work) throws Exception {
    return rollout.locked(app, out, work);
  }

  /** What {@link #undo} restores: the traffic split before a deploy. */
  public record Undo(Traffic traffic) {}

  /** Captures the app's split, to {@link #undo} a deploy with (call it holding the app's lock). */
  public Undo undoPoint(App app) {
    return new Undo(versions.traffic(app.name()));
  }

  /**
   * Takes back a deploy that must not stand (its branch update failed): the split before it
   * is restored and the release is marked failed.
   */
  public void undo(App app, Release release, Undo undo, String user, BuildOutput out)
      throws InterruptedException {
    if (!undo.traffic().allocations().isEmpty()) {
      String problem = rollout.apply(apps.get(app.name()), undo.traffic(), true, user, out);
      if (problem != null) out.warn("Could not restore the previous split: " + firstLine(problem));
    }
    if (versions.traffic(app.name()).percent(release.version()) == 0) {
      rollout.stop(apps.get(app.name()), release.version()); // a no-promote version, running beside
    }
    releases.markFailed(app.name(), release.version());
    logs.platform(app.name().value(), "api", "Release " + release.name() + " undone: its push was rejected");
  }

  /** {@link #deploy(App, Path, String, String, boolean, BuildOutput, String)} of an upload (no commit). */
  public Outcome deploy(
      App app, Path sourceDir, String description, String user, boolean promote, BuildOutput out)
      throws Exception {
    return deploy(app, sourceDir, description, user, promote, out, null);
  }

  /**
   * Builds {@code sourceDir} (which this call consumes and deletes), releases and launches it;
   * with {@code promote} the new version takes all public traffic once ready. {@code commit} is
   * the git commit the source came from, or null.
   */
  public Outcome deploy(
      App app, Path sourceDir, String description, String user, boolean promote, BuildOutput out,
      String commit)
      throws Exception {
    return recordedBuild(app, sourceDir, description, user, out, recorded -> rollout.locked(app, recorded,
        () -> buildAndRelease(app, sourceDir, description, user, promote, recorded, commit)));
  }

  /** One build of {@code sourceDir}, which it consumes and deletes. */
  private interface BuildRun {
    Outcome run(RecordedOutput recorded) throws Exception;
  }

  /**
   * Runs {@code run} as a recorded build of the app (numbered, its output, buildpack, language and
   * runtime kept with it), once the disk has room; {@code sourceDir} is deleted afterwards.
   */
  private Outcome recordedBuild(App app, Path sourceDir, String description, String user, BuildOutput out,
      BuildRun run) throws Exception {
    try {
      disk.require("build " + app.name());
    } catch (RuntimeException full) {
      DataDirs.deleteTree(sourceDir);
      throw full;
    }
    int buildId = builds.start(app.name(), description, user, clock.instant()).id();
    RecordedOutput recorded = new RecordedOutput(out);
    Outcome outcome = null;
    try {
      outcome = run.run(recorded);
      return outcome;
    } finally {
      try {
        boolean ok = outcome instanceof Outcome.Released;
        if (outcome instanceof Outcome.Failed failed) recorded.failed(failed.reason());
        builds.finish(buildId, ok ? "succeeded" : "failed",
            ok ? ((Outcome.Released) outcome).release().version() : null, recorded.text(), clock.instant(),
            clip(recorded.buildpack, 8000), clip(recorded.language, 1000), clip(recorded.runtime, 200));
      } finally {
        DataDirs.deleteTree(sourceDir);
      }
    }
  }

  /** Forwards build output and keeps a copy (up to 1 MB) for the build record. */
  private static final class RecordedOutput implements BuildOutput {
    private static final int LIMIT = 1 << 20;
    private final BuildOutput forward;
    private final StringBuilder text = new StringBuilder();
    private final BuildOutput copy = BuildOutput.lines(this::keep);
    private boolean truncated;
    private volatile String lastWarn;
    /** What built it (recorded with the build), once known. */
    volatile String buildpack;
    volatile String language;
    volatile String runtime;

    RecordedOutput(BuildOutput forward) {
      this.forward = forward;
    }

    private synchronized void keep(String line) {
      if (text.length() + line.length() + 1 > LIMIT) {
        truncated = true;
        return;
      }
      text.append(line).append('\n');
    }

    /**
     * Ends the output with the failure's reason: in the build record always, to the client only
     * when it was not the line just shown (a build step's failure is already there).
     */
    void failed(String reason) {
      String line = "Failed: " + reason;
      if (reason.equals(lastWarn)) {
        copy.warn(line);
      } else {
        warn(line);
      }
    }

    synchronized String text() {
      return truncated ? text + "(output truncated at 1 MB)\n" : text.toString();
    }

    @Override
    public void step(String line) {
      lastWarn = null;
      copy.step(line);
      forward.step(line);
    }

    @Override
    public void info(String line) {
      lastWarn = null;
      copy.info(line);
      forward.info(line);
    }

    @Override
    public void warn(String line) {
      lastWarn = line;
      copy.warn(line);
      forward.warn(line);
    }
  }

  private Outcome buildAndRelease(
      App app, Path sourceDir, String description, String user, boolean promote, RecordedOutput out,
      String commit)
      throws IOException, InterruptedException {
    String name = app.name().value();
    logs.platform(name, "build", "Build started by " + user + " (" + description + ")");
    SourceHook.OnRelease onRelease;
    try {
      onRelease = sourceHook.read(app.name(), sourceDir);
    } catch (SourceHook.Rejected rejected) {
      logs.platform(name, "build", "Build failed: " + rejected.getMessage());
      return new Outcome.Failed(rejected.getMessage());
    }
    Path slugDir = dirs.slugs(app.name());
    Files.createDirectories(slugDir);
    Path slug = slugDir.resolve(UUID.randomUUID() + ".tar.gz");
    Files.createDirectories(dirs.cache(app.name()));
    DataDirs.chmod(dirs.cache(app.name()), "rwx------");
    Map<String, String> vars = config.get(app.name());
    java.util.List<String> ownBuildpacks = builds.buildpacks(app.name());
    if (!ownBuildpacks.isEmpty()) out.buildpack = String.join(", ", ownBuildpacks);
    BuildResult result =
        builder.build(
            new BuildRequest(app.name(), sourceDir, dirs.cache(app.name()), slug, vars, userFor(app),
                ownBuildpacks),
            out);
    if (result instanceof BuildResult.Succeeded ok) {
      out.buildpack = ok.buildpack();
      out.language = ok.language();
      out.runtime = ok.runtime();
    }
    if (result instanceof BuildResult.Failed failed) {
      Files.deleteIfExists(slug);
      logs.platform(name, "build", "Build failed: " + failed.reason());
      return new Outcome.Failed(failed.reason());
    }
    BuildResult.Succeeded built = (BuildResult.Succeeded) result;
    dev.pier.store.Fsync.fileAndDirectory(built.slug());
    logs.platform(name, "build", "Build succeeded (" + built.buildpack() + ")");
    Release release =
        releases.create(
            app.name(), built.slug(), description, user, clock.instant(), vars, built.env(),
            built.processTypes(), built.readinessPath(), commit);
    logs.platform(name, "api", "Release " + release.name() + " created by " + user + ": " + description);
    processes.initFormation(app.name(), release);
    // app.yaml's scaling and sizes apply to the app's formation; a release that fails gives back
    // the formation the serving version had.
    java.util.List<FormationStore.Row> formationBefore = processes.formations().snapshot(app.name());
    try {
      appYaml.apply(app.name(), release, built.scaling(), out);
    } catch (dev.pier.errors.PlatformException refused) {
      processes.formations().restore(app.name(), formationBefore);
      releases.markFailed(app.name(), release.version());
      logs.platform(name, "api", "Release " + release.name() + " failed: app.yaml " + refused.getMessage());
      return new Outcome.Failed("app.yaml: " + refused.getMessage());
    }
    App current = apps.get(app.name());
    boolean servedBefore = !versions.traffic(app.name()).allocations().isEmpty();
    java.util.Optional<String> phaseFailed = releasePhase.run(current, release, out);
    if (phaseFailed.isPresent()) {
      processes.formations().restore(app.name(), formationBefore);
      releases.markFailed(app.name(), release.version());
      logs.platform(name, "api", "Release " + release.name() + " failed: " + phaseFailed.get());
      return new Outcome.Failed(release.name() + " was not released: " + phaseFailed.get() + "; "
          + (servedBefore ? "the previous release keeps serving" : "the app has no release serving yet"));
    }
    out.step("Launching " + release.name() + (promote ? "..." : " without promoting it..."));
    String problem =
        promote
            ? rollout.apply(current, new Traffic(versions.traffic(app.name()).splitBy(),
                Map.of(release.version(), 100)), true, user, out)
            : rollout.startWithoutTraffic(current, release);
    if (problem != null) {
      processes.formations().restore(app.name(), formationBefore);
      releases.markFailed(app.name(), release.version());
      logs.platform(name, "api", "Release " + release.name() + " failed to start: " + firstLine(problem));
      for (String line : problem.split("\n")) out.warn(line);
      return new Outcome.Failed(release.name() + " did not become ready; "
          + (servedBefore ? "the previous release keeps serving" : "the app has no release serving yet"));
    }
    if (promote) onRelease.released(release, out);
    out.info("Released " + release.name());
    out.info((promote ? apps.webUrl(app.name()) : apps.versionUrl(app.name(), release.version()))
        + " deployed to Pier");
    return new Outcome.Released(release);
  }

  // --- the app's buildpacks and build cache (pier buildpacks:*, builds:cache:purge) ---

  /** Most buildpacks an app may set. */
  public static final int MAX_BUILDPACKS = 8;

  /** The app's own buildpacks in the order they run; empty when each build detects one. */
  public java.util.List<String> buildpacks(App app) {
    return builds.buildpacks(app.name());
  }

  /** The stored form of a buildpack, or a 422 saying what is wrong with it. */
  public String checkBuildpack(String source) {
    try {
      return builder.checkBuildpack(source);
    } catch (IllegalArgumentException e) {
      throw dev.pier.errors.PlatformException.invalid(e.getMessage());
    }
  }

  /** The built-in buildpack names, in detection order. */
  public java.util.List<String> builtInBuildpacks() {
    return builder.names();
  }

  /**
   * Sets the app's buildpacks (the next build uses them): each is checked and stored in its
   * normal form. Throws a 422 {@link dev.pier.errors.PlatformException} naming a bad one, a
   * repeated one, or too many; nothing is stored then.
   */
  public java.util.List<String> setBuildpacks(App app, java.util.List<String> sources) {
    return updateBuildpacks(app, current -> sources);
  }

  /**
   * Changes the app's buildpacks with {@code change} (given the current list), as {@link
   * #setBuildpacks}; changes of the list are serialized, so concurrent adds are not lost.
   */
  public synchronized java.util.List<String> updateBuildpacks(
      App app, java.util.function.UnaryOperator<java.util.List<String>> change) {
    java.util.List<String> sources = change.apply(new java.util.ArrayList<>(builds.buildpacks(app.name())));
    java.util.List<String> checked = new java.util.ArrayList<>();
    for (String source : sources) {
      String normal = checkBuildpack(source);
      if (checked.contains(normal)) {
        throw dev.pier.errors.PlatformException.invalid("the buildpack " + normal + " is already set on " + app.name());
      }
      checked.add(normal);
    }
    if (checked.size() > MAX_BUILDPACKS) {
      throw dev.pier.errors.PlatformException.invalid("an app may set at most " + MAX_BUILDPACKS + " buildpacks");
    }
    builds.setBuildpacks(app.name(), checked);
    logs.platform(app.name().value(), "api", checked.isEmpty()
        ? "Buildpacks cleared: the next build detects one"
        : "Buildpacks set: " + String.join(", ", checked));
    return checked;
  }

  /**
   * Deletes the app's build cache (dependency caches, custom buildpacks' caches, its build disk),
   * waiting for a running build of the app to end first; the next build starts cold. Returns the
   * bytes freed.
   */
  public long purgeBuildCache(App app, String user) throws Exception {
    return rollout.locked(app, BuildOutput.NONE, () -> {
      Path cache = dirs.cache(app.name());
      if (!Files.isDirectory(cache)) return 0L;
      long bytes = 0;
      try (var walk = Files.walk(cache)) {
        bytes = walk.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
            .mapToLong(p -> {
              try {
                return Files.size(p);
              } catch (IOException e) {
                return 0;
              }
            }).sum();
      } catch (IOException | java.io.UncheckedIOException e) {
        // Counted what could be seen.
      }
      try (var entries = Files.list(cache)) {
        for (Path entry : entries.toList()) DataDirs.deleteTree(entry);
      }
      logs.platform(app.name().value(), "api", "Build cache purged by " + user);
      return bytes;
    });
  }

  // --- #10 branch previews: a build that is released but not launched ---

  /**
   * Builds {@code sourceDir} (which this call consumes and deletes) with config vars {@code vars}
   * into a new release, recorded as a build of the app, without launching it, running its release
   * phase, its source hooks or applying its app.yaml scaling (the caller runs it: a branch
   * preview). Run it holding the app's lock.
   */
  public Outcome buildRelease(App app, Path sourceDir, String description, String user, BuildOutput out,
      String commit, Map<String, String> vars) throws Exception {
    return recordedBuild(app, sourceDir, description, user, out,
        recorded -> buildOnly(app, sourceDir, description, user, recorded, commit, vars));
  }

  private Outcome buildOnly(App app, Path sourceDir, String description, String user, RecordedOutput out,
      String commit, Map<String, String> vars) throws IOException, InterruptedException {
    String name = app.name().value();
    logs.platform(name, "build", "Build started by " + user + " (" + description + ")");
    Path slugDir = dirs.slugs(app.name());
    Files.createDirectories(slugDir);
    Path slug = slugDir.resolve(UUID.randomUUID() + ".tar.gz");
    Files.createDirectories(dirs.cache(app.name()));
    DataDirs.chmod(dirs.cache(app.name()), "rwx------");
    java.util.List<String> ownBuildpacks = builds.buildpacks(app.name());
    if (!ownBuildpacks.isEmpty()) out.buildpack = String.join(", ", ownBuildpacks);
    BuildResult result = builder.build(
        new BuildRequest(app.name(), sourceDir, dirs.cache(app.name()), slug, vars, userFor(app), ownBuildpacks), out);
    if (result instanceof BuildResult.Failed failed) {
      Files.deleteIfExists(slug);
      logs.platform(name, "build", "Build failed: " + failed.reason());
      return new Outcome.Failed(failed.reason());
    }
    BuildResult.Succeeded built = (BuildResult.Succeeded) result;
    out.buildpack = built.buildpack();
    out.language = built.language();
    dev.pier.store.Fsync.fileAndDirectory(built.slug());
    logs.platform(name, "build", "Build succeeded (" + built.buildpack() + ")");
    Release release = releases.create(app.name(), built.slug(), description, user, clock.instant(), vars,
        built.env(), built.processTypes(), built.readinessPath(), commit);
    logs.platform(name, "api", "Release " + release.name() + " created by " + user + ": " + description);
    return new Outcome.Released(release);
  }

  /** {@code text} cut to fit a column of {@code max} characters (null stays null). */
  static String clip(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  /** The uid a build runs as (null: the server's own), confined before any build step runs. */
  private dev.pier.sandbox.AppUser userFor(App app) {
    if (!dev.pier.sandbox.Sandbox.runningAsRoot()) return null;
    network.confine(app.uid());
    return app.user();
  }
}
