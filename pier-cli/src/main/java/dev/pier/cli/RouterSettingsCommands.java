package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code router:settings}, {@code router:settings:set}, {@code router:settings:reset}: an app's
 * router limits (request timeout, largest body, idle and WebSocket idle timeouts).
 */
final class RouterSettingsCommands {
  private RouterSettingsCommands() {}

  private static String path(AppCommand command) {
    return command.appPath() + "/router-settings";
  }

  @Command(
      name = "router:settings",
      mixinStandardHelpOptions = true,
      description = {"Show the app's router limits: its own values and the router's defaults.",
          "Settings marked router-wide apply before the router knows the app and are set by the operator."})
  static final class Show extends AppCommand {
    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    Show(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode view = context.api().get(path(this));
      if (json) {
        context.out().println(Json.pretty(view));
      } else {
        print(context.out(), appName(), view);
      }
      return 0;
    }
  }

  @Command(
      name = "router:settings:set",
      mixinStandardHelpOptions = true,
      description = {"Set some of the app's router limits, for example request-timeout=60s max-body=50MB.",
          "Durations take ms, s, m or h; sizes take KB, MB or GB (1 KB = 1024 bytes) or plain bytes.",
          "All values are checked first: if one is wrong nothing changes. The next request sees the change."})
  static final class Set extends AppCommand {
    @Parameters(arity = "1..*", paramLabel = "KEY=VALUE",
        description = "request-timeout, max-body, idle-timeout or tunnel-idle-timeout, e.g. request-timeout=60s.")
    List<String> pairs;

    Set(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      ObjectNode body = Json.MAPPER.createObjectNode();
      for (String pair : pairs) {
        int eq = pair.indexOf('=');
        if (eq <= 0 || eq == pair.length() - 1) {
          throw new CliException("Expected KEY=VALUE, e.g. request-timeout=60s, not '" + pair + "'");
        }
        body.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
      JsonNode view = context.api().patch(path(this), body);
      context.out().println("Setting " + String.join(", ", pairs) + " for " + appName() + "... done");
      print(context.out(), appName(), view);
      return 0;
    }
  }

  @Command(
      name = "router:settings:reset",
      mixinStandardHelpOptions = true,
      description = "Put some of the app's router limits back to the router's defaults.")
  static final class Reset extends AppCommand {
    @Parameters(arity = "1..*", paramLabel = "KEY", description = "For example request-timeout.")
    List<String> keys;

    Reset(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode view = null;
      for (String key : keys) view = context.api().delete(path(this) + "/" + key.trim());
      context.out().println("Resetting " + String.join(", ", keys) + " for " + appName() + "... done");
      print(context.out(), appName(), view);
      return 0;
    }
  }

  /** One line per setting: its value, marked (default) or with the default it replaces. */
  static void print(PrintStream out, String app, JsonNode view) {
    out.println(Format.header(app + " router settings"));
    Table table = new Table(false, false, false);
    table.row("SETTING", "VALUE", "ALLOWED");
    for (JsonNode s : view.path("settings")) {
      boolean router = "router".equals(s.path("scope").asText());
      String value = s.path("value").asText();
      String marked = router ? value + " (router-wide)"
          : s.path("own").asBoolean() ? value + " (default " + s.path("default").asText() + ")"
          : value + " (default)";
      table.row(s.path("name").asText(), marked, router ? "-" : s.path("range").asText());
    }
    table.lines().forEach(out::println);
  }
}
