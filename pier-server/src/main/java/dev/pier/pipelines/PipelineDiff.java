package dev.pier.pipelines;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.errors.PlatformException;
import dev.pier.model.AppName;
import dev.pier.release.Release;
import dev.pier.release.ReleaseStore;
import dev.pier.store.Repositories;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The commits between two stages, as {@code git log DOWNSTREAM..UPSTREAM} in the upstream app's
 * repository, from the commits the apps' current releases were built from.
 */
public final class PipelineDiff {
  /** Most commits listed in one comparison. */
  static final int MAX_COMMITS = 100;

  /**
   * One upstream app against one downstream app. {@code status}: {@code up-to-date}, {@code ahead}
   * (upstream has {@code commits} the downstream lacks), {@code diverged} (the downstream's commit
   * is in the upstream's history but not an ancestor of its commit), {@code unrelated} (the
   * downstream's commit is not in the upstream's repository), {@code no-release} or {@code
   * no-commit} (a release not built from a git push).
   */
  public record Comparison(
      String app, String stage, String commit, String targetApp, String targetStage, String targetCommit,
      String status, String message, List<Commit> commits, boolean truncated) {}

  /** A commit the downstream app lacks. */
  public record Commit(String sha, String author, Instant date, String message) {}

  private final AppService apps;
  private final PipelineService pipelines;
  private final ReleaseStore releases;
  private final Repositories repos;

  public PipelineDiff(AppService apps, PipelineService pipelines, ReleaseStore releases, Repositories repos) {
    this.apps = apps;
    this.pipelines = pipelines;
    this.releases = releases;
    this.repos = repos;
  }

  /** The app against each app of the next stage; 409 when it is in no pipeline or in its last stage. */
  public List<Comparison> ofApp(App app) {
    Pipeline.Placement placement = pipelines.placementOf(app.name()).orElseThrow(() ->
        PlatformException.conflict(app.name() + " is not in a pipeline"));
    Pipeline.Stage next = placement.next().orElseThrow(() -> PlatformException.conflict(app.name() + " is in "
        + placement.stage().name() + ", the last stage of pipeline " + placement.pipeline().name()
        + ": there is no later stage to compare with"));
    List<Comparison> result = new ArrayList<>();
    for (String target : next.apps()) {
      result.add(compare(app.name().value(), placement.stage().name(), target, next.name()));
    }
    return result;
  }

  /** Every app of every stage against every app of the stage after it. */
  public List<Comparison> ofPipeline(Pipeline pipeline) {
    List<Comparison> result = new ArrayList<>();
    for (int i = 0; i + 1 < pipeline.stages().size(); i++) {
      Pipeline.Stage from = pipeline.stages().get(i);
      Pipeline.Stage to = pipeline.stages().get(i + 1);
      for (String app : from.apps()) {
        for (String target : to.apps()) result.add(compare(app, from.name(), target, to.name()));
      }
    }
    return result;
  }

  private Comparison compare(String app, String stage, String target, String targetStage) {
    Optional<Release> upstream = current(app);
    Optional<Release> downstream = current(target);
    String commit = upstream.map(Release::commit).orElse(null);
    String targetCommit = downstream.map(Release::commit).orElse(null);
    if (upstream.isEmpty() || downstream.isEmpty()) {
      String which = upstream.isEmpty() ? app : target;
      return new Comparison(app, stage, commit, target, targetStage, targetCommit, "no-release",
          which + " has no release yet", List.of(), false);
    }
    if (commit == null || targetCommit == null) {
      String which = commit == null ? app : target;
      return new Comparison(app, stage, commit, target, targetStage, targetCommit, "no-commit",
          which + "'s current release was not built from a git push, so there are no commits to compare", List.of(), false);
    }
    if (commit.equals(targetCommit)) {
      return new Comparison(app, stage, commit, target, targetStage, targetCommit, "up-to-date",
          target + " is up to date with " + app, List.of(), false);
    }
    try (Repository repo = repos.open(new AppName(app)); RevWalk walk = new RevWalk(repo)) {
      ObjectId head = ObjectId.fromString(commit);
      ObjectId base = ObjectId.fromString(targetCommit);
      if (!repo.getObjectDatabase().has(base)) {
        return new Comparison(app, stage, commit, target, targetStage, targetCommit, "unrelated",
            target + "'s commit " + targetCommit.substring(0, 7) + " is not in " + app + "'s history", List.of(), false);
      }
      RevCommit headCommit = walk.parseCommit(head);
      RevCommit baseCommit = walk.parseCommit(base);
      boolean ancestor = walk.isMergedInto(baseCommit, headCommit);
      walk.reset();
      walk.markStart(walk.parseCommit(head));
      walk.markUninteresting(walk.parseCommit(base));
      List<Commit> commits = new ArrayList<>();
      boolean truncated = false;
      for (RevCommit c : walk) {
        if (commits.size() == MAX_COMMITS) {
          truncated = true;
          break;
        }
        commits.add(new Commit(c.getName(), c.getAuthorIdent().getName(),
            c.getAuthorIdent().getWhenAsInstant(), c.getShortMessage()));
      }
      String status = ancestor ? (commits.isEmpty() ? "up-to-date" : "ahead") : "diverged";
      String message = switch (status) {
        case "up-to-date" -> target + " is up to date with " + app;
        case "ahead" -> app + " is ahead of " + target + " by " + commits.size() + (truncated ? "+" : "")
            + " commit" + (commits.size() == 1 ? "" : "s");
        default -> target + "'s commit " + targetCommit.substring(0, 7) + " is not an ancestor of " + app
            + "'s: the stages have diverged";
      };
      return new Comparison(app, stage, commit, target, targetStage, targetCommit, status, message, commits, truncated);
    } catch (MissingObjectException e) {
      return new Comparison(app, stage, commit, target, targetStage, targetCommit, "unrelated",
          "a commit is missing from " + app + "'s repository", List.of(), false);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the repository of " + app + ": " + e.getMessage(), e);
    }
  }

  private Optional<Release> current(String name) {
    App app = apps.get(name);
    return app.hasRelease() ? releases.find(app.name(), app.currentRelease()) : Optional.empty();
  }
}
