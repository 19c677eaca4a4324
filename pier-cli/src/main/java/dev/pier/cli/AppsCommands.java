package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code apps} topic: list, create, inspect and destroy apps. */
final class AppsCommands {
  private AppsCommands() {}

  @Command(name = "apps", mixinStandardHelpOptions = true, description = "List your apps.")
  static final class ListApps implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    ListApps(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      JsonNode apps = context.api().get("/apps");
      PrintStream out = context.out();
      if (json) {
        out.println(Json.pretty(apps));
        return 0;
      }
      if (apps.isEmpty()) {
        out.println("You have no apps.");
        return 0;
      }
      out.println(Format.header("Apps"));
      App[] list = Json.convert(apps, App[].class);
      int width = java.util.Arrays.stream(list).mapToInt(a -> a.name().length()).max().orElse(0);
      for (App app : list) {
        out.println(Format.pad(app.name(), width) + "  " + app.webUrl());
      }
      return 0;
    }
  }

  @Command(
      name = "apps:create",
      mixinStandardHelpOptions = true,
      description = {
        "Create an app (with a generated name when NAME is left out).",
        "Inside a git repository, also adds the `pier` git remote."
      })
  static final class Create implements Callable<Integer> {
    private final CliContext context;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "Name of the new app.")
    String name;

    @Option(names = {"-r", "--remote"}, paramLabel = "REMOTE", defaultValue = AppResolver.DEFAULT_REMOTE,
        description = "Name of the git remote to add (default: ${DEFAULT-VALUE}).")
    String remote;

    @Option(names = "--no-remote", description = "Do not add a git remote.")
    boolean noRemote;

    Create(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      ObjectNode body = Json.MAPPER.createObjectNode();
      if (name != null) {
        body.put("name", AppResolver.validName(name));
      }
      ApiClient api = context.api();
      PrintStream out = context.out();
      out.print("Creating " + (name == null ? "app" : name) + "... ");
      out.flush();
      App app;
      try {
        app = Json.convert(api.post("/apps", body), App.class);
      } catch (CliException e) {
        out.println("!");
        throw e;
      }
      out.println(name == null ? "done, " + app.name() : "done");
      out.println(app.webUrl() + " | "
          + GitRemotes.remoteUrl(Credentials.resolve(context.env(), CredentialsStore.in(context.home())).api(), app.gitUrl()));
      if (!noRemote && context.git().isWorkTree(context.cwd())) {
        GitRemotes.Set set = new GitRemotes(context).set(context.cwd(), remote, app.gitUrl());
        out.println("Git remote " + remote + (set.added() ? " added" : " updated"));
      }
      return 0;
    }
  }

  @Command(
      name = "apps:destroy",
      mixinStandardHelpOptions = true,
      description = "Permanently destroy an app: its instances, code, releases and config.")
  static final class Destroy extends AppCommand {
    @Option(names = "--confirm", paramLabel = "APP",
        description = "The app's name, to skip the confirmation prompt.")
    String confirm;

    @Parameters(index = "0", arity = "0..1", paramLabel = "APP",
        description = "The app to destroy, as Heroku takes it (same as -a APP).")
    String positional;

    Destroy(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      if (positional != null && app != null && !positional.equals(app)) {
        throw new CliException("Two different apps given: " + positional + " and -a " + app
            + ". Name the app once.");
      }
      if (positional != null) app = positional;
      String name = appName();
      ApiClient api = context.api();
      String typed = confirm;
      if (typed == null) {
        PrintStream err = context.err();
        err.println(Format.ERROR_PREFIX + "WARNING: This will delete " + name
            + " including its code, releases and config.");
        err.println(Format.ERROR_PREFIX + "To proceed, type " + name
            + " or re-run this command with --confirm " + name);
        err.print("> ");
        err.flush();
        typed = context.readLine();
      }
      if (typed == null || !typed.strip().equals(name)) {
        throw new CliException("Confirmation did not match " + name + ". Aborted.");
      }
      PrintStream out = context.out();
      out.print("Destroying " + name + "... ");
      out.flush();
      try {
        api.delete("/apps/" + name);
      } catch (CliException e) {
        out.println("!");
        throw e;
      }
      out.println("done");
      removeRemotePointingAt(name);
      return 0;
    }

    /** Heroku-like: a `pier` remote for the destroyed app would only lead to errors. */
    private void removeRemotePointingAt(String name) {
      Git git = context.git();
      boolean pointsAtApp = git.remoteUrl(context.cwd(), AppResolver.DEFAULT_REMOTE)
          .flatMap(AppResolver::appFromGitUrl)
          .filter(name::equals)
          .isPresent();
      if (pointsAtApp) {
        git.removeRemote(context.cwd(), AppResolver.DEFAULT_REMOTE);
        context.out().println("Git remote " + AppResolver.DEFAULT_REMOTE + " removed");
      }
    }
  }
}
