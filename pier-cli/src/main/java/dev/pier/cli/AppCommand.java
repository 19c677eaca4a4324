package dev.pier.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/** A command about one app: adds {@code -a/--app} and resolves it through {@link AppResolver}. */
abstract class AppCommand implements Callable<Integer> {
  final CliContext context;

  @Option(
      names = {"-a", "--app"},
      paramLabel = "APP",
      description = "App to run the command against (default: the app of the `pier` git remote).")
  String app;

  private String resolved;

  AppCommand(CliContext context) {
    this.context = context;
  }

  /** Returns the app this command targets; fails when there is none. */
  String appName() {
    if (resolved == null) {
      resolved = context.app(app);
    }
    return resolved;
  }

  /** Returns the API path of the app, such as {@code /apps/hello}. */
  String appPath() {
    return "/apps/" + appName();
  }
}
