package dev.pier.git;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.build.BuildOutput;
import dev.pier.deploy.DeployService;
import dev.pier.errors.PlatformException;
import dev.pier.store.DataDirs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.PreReceiveHook;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.slf4j.LoggerFactory;

/**
 * Builds and releases a push to {@code main} or {@code master} before the branch moves, so that a
 * failed build rejects the push in the git client ({@code ! [remote rejected] main -> main (build
 * failed)}) and the repository keeps pointing at what is deployed. Other branches are built as
 * branch previews ({@link PreviewPushes}), after the deploy branch when a push has both.
 *
 * <p>Pushes to one app are serialized with every other change of it (deploys, config changes,
 * rollbacks): under the app's lock the hook checks that the branch still points where the client
 * saw it, builds, releases and then moves the branch itself. A second push that waited for the
 * first is rejected as stale ({@code fetch first}), never released; a release whose branch update
 * fails is undone. So the branch and the live release are one outcome.
 */
final class PushHook implements PreReceiveHook {
  private final AppService apps;
  private final DeployService deploys;
  private final String appName;
  private final String user;
  private final long maxBytes;
  private final PreviewPushes previews;

  /** @param previews builds pushes of other branches as previews; null stores them unbuilt */
  PushHook(AppService apps, DeployService deploys, String appName, String user, long maxBytes,
      PreviewPushes previews) {
    this.previews = previews;
    this.maxBytes = maxBytes;
    this.apps = apps;
    this.deploys = deploys;
    this.appName = appName;
    this.user = user;
  }

  @Override
  public void onPreReceive(ReceivePack rp, Collection<ReceiveCommand> commands) {
    BuildOutput out = RemoteOutput.to(rp);
    ReceiveCommand deploy = null;
    java.util.List<ReceiveCommand> branches = new java.util.ArrayList<>();
    for (ReceiveCommand cmd : commands) {
      if (cmd.getResult() != ReceiveCommand.Result.NOT_ATTEMPTED) continue;
      String ref = cmd.getRefName();
      boolean deployBranch = ref.equals("refs/heads/main") || ref.equals("refs/heads/master");
      if (deployBranch && cmd.getType() != ReceiveCommand.Type.DELETE && deploy == null) {
        deploy = cmd;
      } else if (deployBranch && cmd.getType() == ReceiveCommand.Type.DELETE) {
        cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "the deploy branch cannot be deleted");
      } else if (deployBranch) {
        cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "push one deploy branch at a time");
      } else if (previews != null && ref.startsWith(PreviewPushes.HEADS)) {
        branches.add(cmd);
      } else {
        out.warn("Pushed to " + ref.replace("refs/heads/", "") + ": not built."
            + " Push to main or master to deploy.");
      }
    }
    if (deploy != null) deploy(rp, deploy, out);
    for (ReceiveCommand branch : branches) previews.push(rp, branch, appName, user, out);
  }

  /** Builds and releases the deploy branch's push, or rejects it. */
  private void deploy(ReceivePack rp, ReceiveCommand cmd, BuildOutput out) {
    String reason;
    String result = "build failed";
    try {
      App app = apps.get(appName);
      Rejection rejection = deploys.exclusively(app, out, () -> deployLocked(rp, cmd, app, out));
      if (rejection == null) return;
      reason = rejection.message();
      result = rejection.result();
    } catch (PlatformException e) {
      reason = e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reason = "interrupted";
    } catch (Exception e) {
      LoggerFactory.getLogger(PushHook.class).error("push to {} failed", appName, e);
      reason = "internal error: " + e;
    }
    out.warn(reason == null ? "Push rejected." : "Push rejected: " + reason);
    if (cmd.getResult() == ReceiveCommand.Result.NOT_ATTEMPTED) {
      cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, result);
    }
  }

  /**
   * Why a push was refused (null when the output already said it), and the short result git
   * prints after the ref name.
   */
  private record Rejection(String message, String result) {}

  /** Runs under the app's lock: null when released and the branch moved. */
  private Rejection deployLocked(ReceivePack rp, ReceiveCommand cmd, App app, BuildOutput out)
      throws Exception {
    // Destroyed (and perhaps created again) while this push waited for the lock: not this app.
    if (apps.get(appName).uid() != app.uid()) throw PlatformException.notFound("app '" + appName + "' not found");
    ObjectId now = currentId(rp, cmd.getRefName());
    if (!now.equals(cmd.getOldId())) {
      String branch = cmd.getRefName().replace("refs/heads/", "");
      return new Rejection("another push to " + branch + " landed first (it is now at "
          + now.abbreviate(7).name() + "); fetch, merge and push again", "fetch first");
    }
    String commit = cmd.getNewId().name();
    out.step("Building " + appName + " (commit " + commit.substring(0, 7) + ")");
    Path source = deploys.newSourceDir(app);
    try {
      TreeExporter.export(rp.getRepository(), cmd.getNewId(), source, maxBytes);
    } catch (PlatformException unsafe) {
      DataDirs.deleteTree(source);
      throw unsafe;
    }
    boolean promote = rp.getPushOptions() == null || !rp.getPushOptions().contains("no-promote");
    DeployService.Undo undo = deploys.undoPoint(app);
    DeployService.Outcome outcome =
        deploys.deploy(app, source, "Deploy " + commit.substring(0, 7), user, promote, out, commit);
    if (outcome instanceof DeployService.Outcome.Failed failed) {
      return new Rejection(null, "build failed"); // the deploy's output has said why
    }
    cmd.execute(rp);
    if (cmd.getResult() == ReceiveCommand.Result.OK) return null;
    String why = cmd.getMessage() == null ? cmd.getResult().name() : cmd.getMessage();
    LoggerFactory.getLogger(PushHook.class).warn("{}: branch update failed after release: {}", appName, why);
    out.warn("The branch could not be updated (" + why + "); undoing the release...");
    deploys.undo(app, ((DeployService.Outcome.Released) outcome).release(), undo, user, out);
    return new Rejection("the branch could not be updated: " + why, why);
  }

  private static ObjectId currentId(ReceivePack rp, String refName) throws IOException {
    Ref ref = rp.getRepository().exactRef(refName);
    return ref == null || ref.getObjectId() == null ? ObjectId.zeroId() : ref.getObjectId();
  }
}
