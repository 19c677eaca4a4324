package dev.pier.deploy;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.build.BuildOutput;
import dev.pier.build.BuildRequest;
import dev.pier.build.BuildResult;
import dev.pier.build.Builder;
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
 *   source dir -> Builder (slug) -> ReleaseStore (vN) -> Rollout (start, ready, traffic, drain old)
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
  private final ReleaseStore releases;
  private final ConfigStore config;
  private final ProcessManager processes;
  private final Rollout rollout;
  private final VersionStore versions;
  private final LogBus logs;
  private final DataDirs dirs;
  private final AppService apps;
  private final InstantSource clock;

  public DeployService(
      Builder builder, ReleaseStore releases, ConfigStore config, ProcessManager processes,
      Rollout rollout, VersionStore versions, LogBus logs, DataDirs dirs, AppService apps,
      InstantSource clock) {
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
   * Builds {@code sourceDir} (which this call consumes and deletes), releases and launches it;
   * with {@code promote} the new version takes all public traffic once ready.
   */
  public Outcome deploy(
      App app, Path sourceDir, String description, String user, boolean promote, BuildOutput out)
      throws Exception {
    try {
      return rollout.locked(app, out, () -> buildAndRelease(app, sourceDir, description, user, promote, out));
    } finally {
      DataDirs.deleteTree(sourceDir);
    }
  }

  private Outcome buildAndRelease(
      App app, Path sourceDir, String description, String user, boolean promote, BuildOutput out)
      throws IOException, InterruptedException {
    String name = app.name().value();
    logs.platform(name, "build", "Build started by " + user + " (" + description + ")");
    Path slugDir = dirs.slugs(app.name());
    Files.createDirectories(slugDir);
    Path slug = slugDir.resolve(UUID.randomUUID() + ".tar.gz");
    Files.createDirectories(dirs.cache(app.name()));
    DataDirs.chmod(dirs.cache(app.name()), "rwx------");
    Map<String, String> vars = config.get(app.name());
    BuildResult result =
        builder.build(
            new BuildRequest(app.name(), sourceDir, dirs.cache(app.name()), slug, vars, userFor(app)),
            out);
    if (result instanceof BuildResult.Failed failed) {
      Files.deleteIfExists(slug);
      logs.platform(name, "build", "Build failed: " + failed.reason());
      return new Outcome.Failed(failed.reason());
    }
    BuildResult.Succeeded built = (BuildResult.Succeeded) result;
    logs.platform(name, "build", "Build succeeded (" + built.buildpack() + ")");
    Release release =
        releases.create(
            app.name(), built.slug(), description, user, clock.instant(), vars, built.env(),
            built.processTypes(), built.readinessPath());
    logs.platform(name, "api", "Release " + release.name() + " created by " + user + ": " + description);
    processes.initFormation(app.name(), release);
    App current = apps.get(app.name());
    out.step("Launching " + release.name() + (promote ? "..." : " without promoting it..."));
    String problem =
        promote
            ? rollout.apply(current, new Traffic(versions.traffic(app.name()).splitBy(),
                Map.of(release.version(), 100)), true, user, out)
            : rollout.startWithoutTraffic(current, release);
    if (problem != null) {
      releases.markFailed(app.name(), release.version());
      logs.platform(name, "api", "Release " + release.name() + " failed to start: " + firstLine(problem));
      for (String line : problem.split("\n")) out.warn(line);
      return new Outcome.Failed(release.name() + " did not become ready; the previous release keeps serving");
    }
    out.info("Released " + release.name());
    out.info((promote ? apps.webUrl(app.name()) : apps.versionUrl(app.name(), release.version()))
        + " deployed to Pier");
    return new Outcome.Released(release);
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  private dev.pier.sandbox.AppUser userFor(App app) {
    return dev.pier.sandbox.Sandbox.runningAsRoot() ? app.user() : null;
  }
}
