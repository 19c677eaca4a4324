package dev.pier.git;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.build.BuildOutput;
import dev.pier.deploy.DeployService;
import dev.pier.server.PlatformException;
import java.nio.file.Path;
import java.util.Collection;
import org.eclipse.jgit.transport.PreReceiveHook;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;

/**
 * Builds and releases a push to {@code main} or {@code master} before the branch moves, so that a
 * failed build rejects the push in the git client ({@code ! [remote rejected] main -> main (build
 * failed)}) and the repository keeps pointing at what is deployed. Other branches are stored
 * without a build.
 */
final class PushHook implements PreReceiveHook {
  private final AppService apps;
  private final DeployService deploys;
  private final String appName;
  private final String user;

  PushHook(AppService apps, DeployService deploys, String appName, String user) {
    this.apps = apps;
    this.deploys = deploys;
    this.appName = appName;
    this.user = user;
  }

  @Override
  public void onPreReceive(ReceivePack rp, Collection<ReceiveCommand> commands) {
    BuildOutput out = RemoteOutput.to(rp);
    ReceiveCommand deploy = null;
    for (ReceiveCommand cmd : commands) {
      if (cmd.getResult() != ReceiveCommand.Result.NOT_ATTEMPTED) continue;
      String ref = cmd.getRefName();
      boolean deployBranch = ref.equals("refs/heads/main") || ref.equals("refs/heads/master");
      if (deployBranch && cmd.getType() != ReceiveCommand.Type.DELETE && deploy == null) {
        deploy = cmd;
      } else if (deployBranch && cmd.getType() == ReceiveCommand.Type.DELETE) {
        cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "the deploy branch cannot be deleted");
      } else {
        out.warn("Pushed to " + ref.replace("refs/heads/", "") + ": not built."
            + " Push to main or master to deploy.");
      }
    }
    if (deploy == null) return;
    String commit = deploy.getNewId().abbreviate(7).name();
    String reason;
    try {
      App app = apps.get(appName);
      out.step("Building " + appName + " (commit " + commit + ")");
      Path source = deploys.newSourceDir(app);
      try {
        TreeExporter.export(rp.getRepository(), deploy.getNewId(), source);
      } catch (PlatformException unsafe) {
        dev.pier.store.DataDirs.deleteTree(source);
        throw unsafe;
      }
      boolean promote = rp.getPushOptions() == null || !rp.getPushOptions().contains("no-promote");
      DeployService.Outcome outcome = deploys.deploy(app, source, "Deploy " + commit, user, promote, out);
      if (outcome instanceof DeployService.Outcome.Released) return;
      reason = ((DeployService.Outcome.Failed) outcome).reason();
    } catch (PlatformException e) {
      reason = e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reason = "interrupted";
    } catch (Exception e) {
      org.slf4j.LoggerFactory.getLogger(PushHook.class).error("push to {} failed", appName, e);
      reason = "internal error: " + e;
    }
    out.warn("Push rejected: " + reason);
    for (ReceiveCommand cmd : commands) {
      if (cmd.getResult() == ReceiveCommand.Result.NOT_ATTEMPTED
          && (cmd == deploy || cmd.getRefName().equals(deploy.getRefName()))) {
        cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "build failed");
      }
    }
  }
}
