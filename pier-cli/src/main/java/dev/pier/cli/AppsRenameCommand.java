package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code apps:rename}: give an app a new name, as Heroku's (#10). */
@Command(
    name = "apps:rename",
    mixinStandardHelpOptions = true,
    description = {"Rename an app: its URLs and git URL change, and the old name stops answering.",
        "Takes OLD NEW, or NEW with -a OLD (default: the app of the `pier` git remote); a `pier` git remote"
            + " that points at the old name is updated. Its instances restart under the new name."})
final class AppsRenameCommand extends AppCommand {
  @Parameters(arity = "1..2", paramLabel = "NAME", description = "The new name, or the old name then the new one.")
  List<String> names;

  AppsRenameCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    if (names.size() == 2 && app != null) {
      throw new CliException("Give OLD NEW or NEW -a OLD, not both.");
    }
    String from = names.size() == 2 ? names.get(0) : appName();
    String to = AppResolver.validName(names.get(names.size() - 1));
    PrintStream out = context.out();
    out.print("Renaming " + from + " to " + to + "... ");
    out.flush();
    JsonNode renamed;
    try {
      ObjectNode body = Json.MAPPER.createObjectNode().put("name", to);
      renamed = context.api().post("/apps/" + from + "/rename", body);
    } catch (CliException e) {
      out.println("!");
      throw e;
    }
    out.println("done");
    String gitUrl = renamed.path("git_url").asText();
    out.println(renamed.path("web_url").asText() + " | "
        + GitRemotes.remoteUrl(Credentials.resolve(context.env(), CredentialsStore.in(context.home())).api(), gitUrl));
    Git git = context.git();
    if (git.isWorkTree(context.cwd())) {
      boolean pointsAtOld = git.remoteUrl(context.cwd(), AppResolver.DEFAULT_REMOTE)
          .flatMap(AppResolver::appFromGitUrl)
          .filter(from::equals)
          .isPresent();
      if (pointsAtOld) {
        new GitRemotes(context).set(context.cwd(), AppResolver.DEFAULT_REMOTE, gitUrl);
        out.println("Git remote " + AppResolver.DEFAULT_REMOTE + " updated");
      }
    }
    out.println("Don't forget to update git remotes for all other local checkouts of the app.");
    return 0;
  }
}
