package dev.pier.git;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.build.BuildOutput;
import dev.pier.deploy.DeployService;
import dev.pier.errors.PlatformException;
import dev.pier.previews.PreviewService;
import dev.pier.store.DataDirs;
import java.io.IOException;
import java.nio.file.Path;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.slf4j.LoggerFactory;

/**
 * A push to a branch other than the deploy branch (#10 branch previews): builds it as the branch's
 * preview before the branch moves, so a failed build rejects the push ({@code ! [remote rejected]
 * feature-x -> feature-x (build failed)}); deleting the branch stops and removes its preview.
 * Runs under the app's lock like deploys, and checks the branch still points where the client saw
 * it, so of two pushes of one branch at once the second is rejected as stale.
 */
final class PreviewPushes {
  static final String HEADS = "refs/heads/";

  private final AppService apps;
  private final DeployService deploys;
  private final PreviewService previews;
  private final long maxBytes;

  PreviewPushes(AppService apps, DeployService deploys, PreviewService previews, long maxBytes) {
    this.apps = apps;
    this.deploys = deploys;
    this.previews = previews;
    this.maxBytes = maxBytes;
  }

  /** Builds, replaces or removes the preview of {@code cmd}'s branch and moves the branch. */
  void push(ReceivePack rp, ReceiveCommand cmd, String appName, String user, BuildOutput out) {
    String branch = cmd.getRefName().substring(HEADS.length());
    String reason;
    String result = "build failed";
    try {
      App app = apps.get(appName);
      String[] rejection = deploys.exclusively(app, out, () -> locked(rp, cmd, app, branch, user, out));
      if (rejection == null) return;
      reason = rejection[0];
      result = rejection[1];
    } catch (PlatformException e) {
      reason = e.getMessage();
      result = "refused";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reason = "interrupted";
    } catch (Exception e) {
      LoggerFactory.getLogger(PreviewPushes.class).error("preview push to {} {} failed", appName, branch, e);
      reason = "internal error: " + e;
    }
    if (reason != null) out.warn("Preview " + branch + " not deployed: " + reason);
    if (cmd.getResult() == ReceiveCommand.Result.NOT_ATTEMPTED) {
      cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, result);
    }
  }

  /** Under the app's lock: null when done, else {reason (null when already said), git's result}. */
  private String[] locked(ReceivePack rp, ReceiveCommand cmd, App app, String branch, String user, BuildOutput out)
      throws Exception {
    if (apps.get(app.name()).uid() != app.uid()) throw PlatformException.notFound("app '" + app.name() + "' not found");
    ObjectId now = currentId(rp, cmd.getRefName());
    if (!now.equals(cmd.getOldId())) {
      return new String[] {"another push to " + branch + " landed first (it is now at "
          + now.abbreviate(7).name() + "); fetch, merge and push again", "fetch first"};
    }
    if (cmd.getType() == ReceiveCommand.Type.DELETE) {
      boolean removed = previews.remove(app, branch, user, out);
      cmd.execute(rp);
      if (removed) out.step("Preview " + branch + " stopped and removed");
      return null;
    }
    PreviewService.checkBranch(branch);
    String commit = cmd.getNewId().name();
    out.step("Building preview " + branch + " of " + app.name() + " (commit " + commit.substring(0, 7) + ")");
    Path source = deploys.newSourceDir(app);
    try {
      TreeExporter.export(rp.getRepository(), cmd.getNewId(), source, maxBytes);
    } catch (PlatformException unsafe) {
      DataDirs.deleteTree(source);
      throw unsafe;
    }
    PreviewService.Result outcome = previews.deploy(app, branch, source, commit, user, out);
    if (outcome instanceof PreviewService.Result.Failed failed) return new String[] {failed.reason(), "build failed"};
    String url = ((PreviewService.Result.Deployed) outcome).url();
    cmd.execute(rp);
    if (cmd.getResult() != ReceiveCommand.Result.OK) {
      String why = cmd.getMessage() == null ? cmd.getResult().name() : cmd.getMessage();
      out.warn("The branch could not be updated (" + why + "); the preview at " + url
          + " runs the pushed commit until the next push");
      return new String[] {null, why};
    }
    out.step("Preview " + branch + " deployed to " + url);
    return null;
  }

  private static ObjectId currentId(ReceivePack rp, String refName) throws IOException {
    Ref ref = rp.getRepository().exactRef(refName);
    return ref == null || ref.getObjectId() == null ? ObjectId.zeroId() : ref.getObjectId();
  }
}
