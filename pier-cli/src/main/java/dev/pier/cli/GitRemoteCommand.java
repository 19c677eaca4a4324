package dev.pier.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pier git:remote}: points a git remote of the working directory at an app's repository. */
@Command(
    name = "git:remote",
    mixinStandardHelpOptions = true,
    description = "Add or update a git remote for an app, so `git push pier main` deploys it.")
final class GitRemoteCommand extends AppCommand {
  @Option(names = {"-r", "--remote"}, paramLabel = "REMOTE", defaultValue = AppResolver.DEFAULT_REMOTE,
      description = "Name of the git remote (default: ${DEFAULT-VALUE}).")
  String remote;

  GitRemoteCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    String name = appName();
    if (!context.git().isWorkTree(context.cwd())) {
      throw new CliException("Not a git repository: " + context.cwd() + " (run `git init` first)");
    }
    App app = Json.convert(context.api().get("/apps/" + name), App.class);
    GitRemotes.Set set = new GitRemotes(context).set(context.cwd(), remote, app.gitUrl());
    context.out().println("set git remote " + remote + " to " + set.url());
    return 0;
  }
}
