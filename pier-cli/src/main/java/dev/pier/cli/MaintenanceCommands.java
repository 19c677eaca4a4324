package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code maintenance}, {@code maintenance:on}, {@code maintenance:off}: an app's maintenance mode. */
final class MaintenanceCommands {
  private MaintenanceCommands() {}

  private static String path(AppCommand command) {
    return command.appPath() + "/maintenance";
  }

  @Command(
      name = "maintenance",
      mixinStandardHelpOptions = true,
      description = {"Show whether the app is in maintenance mode (on or off).",
          "While on, the router answers every request with 503 and the maintenance page."})
  static final class Show extends AppCommand {
    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    Show(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode state = context.api().get(path(this));
      context.out().println(json ? Json.pretty(state) : state.path("maintenance").asBoolean() ? "on" : "off");
      return 0;
    }
  }

  @Command(
      name = "maintenance:on",
      mixinStandardHelpOptions = true,
      description = {"Put the app in maintenance mode.",
          "Every request to the app (all versions) is answered 503 with its maintenance.html (if its release has one"
              + " at the source root) or a built-in page; deploys, scaling and pier run still work."})
  static final class On extends AppCommand {
    On(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      return set(this, true);
    }
  }

  @Command(
      name = "maintenance:off",
      mixinStandardHelpOptions = true,
      description = "Take the app out of maintenance mode: requests reach its instances again.")
  static final class Off extends AppCommand {
    Off(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      return set(this, false);
    }
  }

  private static int set(AppCommand command, boolean on) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("maintenance", on);
    command.context.api().put(path(command), body);
    command.context.out().println((on ? "Enabling" : "Disabling") + " maintenance mode for " + command.appName() + "... done");
    return 0;
  }
}
