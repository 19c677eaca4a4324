package dev.pier.pipelines;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.build.BuildOutput;
import dev.pier.config.ConfigStore;
import dev.pier.deploy.ProcessManager;
import dev.pier.deploy.ReleasePhase;
import dev.pier.deploy.Rollout;
import dev.pier.errors.PlatformException;
import dev.pier.logs.LogBus;
import dev.pier.model.AppName;
import dev.pier.release.Release;
import dev.pier.release.ReleaseStore;
import dev.pier.store.DataDirs;
import dev.pier.versions.Traffic;
import dev.pier.versions.VersionStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Promotes an app's current release (the one serving the most traffic, as {@code releases} shows
 * it) to the apps of the pipeline's next stage, as Heroku does:
 *
 * <pre>
 *   source's current release -> slug linked into each target's slugs -> target release
 *     (target's own config vars, "Promote SOURCE vN") -> release phase -> Rollout (zero downtime)
 * </pre>
 *
 * No build runs. Each target takes its own lock, so a promotion waits for a deploy of the target
 * in progress. A target whose release fails keeps serving its previous release.
 */
public final class Promoter {
  /** What one target ended with: its new release, or why it was not released (then null). */
  public record Promoted(String app, Integer release, String error) {}

  private final AppService apps;
  private final PipelineService pipelines;
  private final ReleaseStore releases;
  private final ConfigStore config;
  private final ProcessManager processes;
  private final Rollout rollout;
  private final VersionStore versions;
  private final LogBus logs;
  private final DataDirs dirs;
  private final InstantSource clock;
  private final Supplier<ReleasePhase> releasePhase;

  public Promoter(AppService apps, PipelineService pipelines, ReleaseStore releases, ConfigStore config,
      ProcessManager processes, Rollout rollout, VersionStore versions, LogBus logs, DataDirs dirs,
      InstantSource clock, Supplier<ReleasePhase> releasePhase) {
    this.apps = apps;
    this.pipelines = pipelines;
    this.releases = releases;
    this.config = config;
    this.processes = processes;
    this.rollout = rollout;
    this.versions = versions;
    this.logs = logs;
    this.dirs = dirs;
    this.clock = clock;
    this.releasePhase = releasePhase;
  }

  /** The release a promotion of {@code source} would copy, checked; 409 when there is none. */
  public Release promotable(App source) {
    App app = apps.get(source.name());
    if (!app.hasRelease()) {
      throw PlatformException.conflict(app.name() + " has no release to promote: deploy it first (git push)");
    }
    Release from = releases.find(app.name(), app.currentRelease())
        .orElseThrow(() -> new IllegalStateException("release v" + app.currentRelease() + " missing"));
    if (from.slug() == null || !Files.exists(from.slug())) {
      throw PlatformException.conflict("the slug of " + app.name() + " " + from.name() + " is gone: deploy it again first");
    }
    return from;
  }

  /**
   * The apps a promotion of {@code source} goes to: the next stage's. 409 when the app is in no
   * pipeline, in its last stage, or the next stage has no app.
   */
  public Targets targets(App source) {
    Pipeline.Placement placement = pipelines.placementOf(source.name()).orElseThrow(() ->
        PlatformException.conflict(source.name() + " is not in a pipeline: create one with pipelines:create"));
    Pipeline.Stage next = placement.next().orElseThrow(() -> PlatformException.conflict(source.name()
        + " is in " + placement.stage().name() + ", the last stage of pipeline " + placement.pipeline().name()
        + ": there is no later stage to promote to"));
    if (next.apps().isEmpty()) {
      throw PlatformException.conflict("stage " + next.name() + " of pipeline " + placement.pipeline().name() + " has no app");
    }
    return new Targets(placement, next);
  }

  /** Where a promotion goes. */
  public record Targets(Pipeline.Placement from, Pipeline.Stage to) {}

  /** Promotes {@code from} (see {@link #promotable}) to every app of {@code targets}, in order. */
  public List<Promoted> promote(App source, Release from, Targets targets, String user, BuildOutput out)
      throws Exception {
    List<Promoted> result = new ArrayList<>();
    for (String target : targets.to().apps()) {
      App app = apps.get(target);
      out.step("Promoting " + source.name() + " " + from.name() + " to " + target + " (" + targets.to().name() + ")...");
      Promoted promoted = rollout.locked(app, out, () -> promoteTo(app.name(), source.name(), from, user, out));
      if (promoted.error() != null) out.warn(target + ": " + promoted.error());
      else out.info(target + ": released v" + promoted.release() + " at " + apps.webUrl(app.name()));
      result.add(promoted);
    }
    return result;
  }

  private Promoted promoteTo(AppName target, AppName source, Release from, String user, BuildOutput out)
      throws IOException, InterruptedException {
    App current = apps.get(target);
    String description = "Promote " + source + " " + from.name();
    Path slug = linkSlug(from.slug(), target);
    Map<String, String> vars = config.get(target);
    Release release = releases.create(target, slug, description, user, clock.instant(), vars, from.buildEnv(),
        from.processes(), from.readinessPath(), from.commit());
    logs.platform(target.value(), "api", "Release " + release.name() + " created by " + user + ": " + description);
    processes.initFormation(target, release);
    boolean servedBefore = !versions.traffic(target).allocations().isEmpty();
    String keeps = servedBefore ? "the previous release keeps serving" : "the app has no release serving yet";
    Optional<String> phaseFailed = releasePhase.get().run(current, release, out);
    if (phaseFailed.isPresent()) {
      releases.markFailed(target, release.version());
      logs.platform(target.value(), "api", "Release " + release.name() + " failed: " + phaseFailed.get());
      return new Promoted(target.value(), null, release.name() + " was not released: " + phaseFailed.get() + "; " + keeps);
    }
    String problem = rollout.apply(current,
        new Traffic(versions.traffic(target).splitBy(), Map.of(release.version(), 100)), true, user, out);
    if (problem != null) {
      releases.markFailed(target, release.version());
      logs.platform(target.value(), "api", "Release " + release.name() + " failed to start: " + problem.lines().findFirst().orElse(""));
      for (String line : problem.split("\n")) out.warn(line);
      return new Promoted(target.value(), null, release.name() + " did not become ready; " + keeps);
    }
    return new Promoted(target.value(), release.version(), null);
  }

  /**
   * The slug in the target's own slug folder (a hard link, a copy across file systems), so it
   * stays when the source app is deleted and the doctor finds it where it looks.
   */
  private Path linkSlug(Path slug, AppName target) throws IOException {
    Path dir = dirs.slugs(target);
    Files.createDirectories(dir);
    Path to = dir.resolve(UUID.randomUUID() + ".tar.gz");
    try {
      Files.createLink(to, slug);
    } catch (IOException | UnsupportedOperationException e) {
      Files.copy(slug, to);
    }
    dev.pier.store.Fsync.fileAndDirectory(to);
    return to;
  }
}
