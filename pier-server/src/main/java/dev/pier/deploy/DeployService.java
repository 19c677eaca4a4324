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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Turns a source tree into running instances:
 *
 * <pre>
 *   source dir -> Builder (slug) -> ReleaseStore (vN, current) -> ProcessManager (instances) -> up
 * </pre>
 *
 * One deploy per app at a time; a second one waits. A failed build changes nothing: the current
 * release keeps serving.
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
  private final LogBus logs;
  private final DataDirs dirs;
  private final AppService apps;
  private final InstantSource clock;
  private final Duration bootTimeout;
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  public DeployService(
      Builder builder, ReleaseStore releases, ConfigStore config, ProcessManager processes,
      LogBus logs, DataDirs dirs, AppService apps, InstantSource clock, Duration bootTimeout) {
    this.builder = builder;
    this.releases = releases;
    this.config = config;
    this.processes = processes;
    this.logs = logs;
    this.dirs = dirs;
    this.apps = apps;
    this.clock = clock;
    this.bootTimeout = bootTimeout;
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
   * Builds {@code sourceDir} (which this call consumes and deletes), releases and launches it.
   * Output streams to {@code out} as it happens.
   */
  public Outcome deploy(App app, Path sourceDir, String description, String user, BuildOutput out)
      throws InterruptedException {
    String name = app.name().value();
    ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
    if (!lock.tryLock()) {
      out.info("Another deploy of " + name + " is running; waiting for it to finish...");
      lock.lockInterruptibly();
    }
    try {
      logs.platform(name, "build", "Build started by " + user + " (" + description + ")");
      Path slugDir = dirs.slugs(app.name());
      Files.createDirectories(slugDir);
      Path slug = slugDir.resolve(UUID.randomUUID() + ".tar.gz");
      Files.createDirectories(dirs.cache(app.name()));
      DataDirs.chmod(dirs.cache(app.name()), "rwx------");
      Map<String, String> vars = config.get(app.name());
      BuildResult result =
          builder.build(
              new BuildRequest(app.name(), sourceDir, dirs.cache(app.name()), slug, vars,
                  userFor(app)),
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
              built.processTypes());
      logs.platform(name, "api", "Release " + release.name() + " created by " + user + ": " + description);
      out.step("Launching...");
      App current = apps.get(app.name());
      processes.initFormation(app.name(), release);
      processes.apply(current, release, true);
      String problem = processes.awaitUp(current, release, bootTimeout);
      if (problem != null) {
        out.warn(problem + "; see `pier logs -a " + name + "`");
      }
      out.info("Released " + release.name());
      out.info(apps.webUrl(app.name()) + " deployed to Pier");
      return new Outcome.Released(release);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      lock.unlock();
      DataDirs.deleteTree(sourceDir);
    }
  }

  private dev.pier.sandbox.AppUser userFor(App app) {
    return dev.pier.sandbox.Sandbox.runningAsRoot() ? app.user() : null;
  }
}
