package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code healthcheck}, {@code healthcheck:set}, {@code healthcheck:unset}: the readiness path. */
final class HealthcheckCommands {
  private HealthcheckCommands() {}

  @Command(
      name = "healthcheck",
      mixinStandardHelpOptions = true,
      description = {"Show the app's readiness check path.",
          "New instances get traffic only once GET PATH answers 2xx; without a path, once their port accepts connections."})
  static final class Show extends AppCommand {
    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    Show(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode app = context.api().get(appPath());
      JsonNode path = app.path("readiness_path");
      if (json) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.set("readiness_path", path.isMissingNode() ? Json.MAPPER.nullNode() : path);
        JsonNode boot = app.path("boot_timeout_seconds");
        out.set("boot_timeout_seconds", boot.isMissingNode() ? Json.MAPPER.nullNode() : boot);
        context.out().println(out.toPrettyString());
      } else if (path.isTextual()) {
        context.out().println("GET " + path.asText() + " must answer 2xx before an instance gets traffic");
      } else {
        context.out().println("No readiness path: instances get traffic once their port accepts connections"
            + " (or app.yaml readiness_check.path answers 2xx)");
      }
      if (!json) {
        JsonNode boot = app.path("boot_timeout_seconds");
        context.out().println(boot.isInt()
            ? "Boot timeout: " + boot.asInt() + " s (pier healthcheck:timeout default to use the platform's)"
            : "Boot timeout: the platform's default (pier healthcheck:timeout SECONDS to set one)");
      }
      return 0;
    }
  }

  @Command(
      name = "healthcheck:set",
      mixinStandardHelpOptions = true,
      description = {"Set the readiness check path (wins over app.yaml readiness_check).",
          "It applies to instances started from now on: deploys, restarts, config changes."})
  static final class Set extends AppCommand {
    @Parameters(paramLabel = "PATH", description = "A URL path such as /ready.")
    String path;

    Set(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c > '~')) {
        throw new CliException("Invalid readiness path '" + path + "': use a URL path starting with '/', such as /ready");
      }
      ObjectNode body = Json.MAPPER.createObjectNode().put("readiness_path", path);
      context.api().patch(appPath(), body);
      context.out().println("Readiness check set to GET " + path);
      return 0;
    }
  }

  @Command(
      name = "healthcheck:unset",
      mixinStandardHelpOptions = true,
      description = "Remove the readiness check path: instances get traffic once their port accepts connections.")
  static final class Unset extends AppCommand {
    Unset(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      ObjectNode body = Json.MAPPER.createObjectNode().putNull("readiness_path");
      context.api().patch(appPath(), body);
      context.out().println("Readiness check removed");
      return 0;
    }
  }

  @Command(
      name = "healthcheck:timeout",
      mixinStandardHelpOptions = true,
      description = {"Set how long web instances may take to listen on $PORT (and pass the readiness check).",
          "An instance that takes longer is stopped and reported as not listening in time. "
              + "It applies to instances started from now on; 'default' goes back to the platform's (60 s unless the operator changed it).",
          "A deploy whose app.yaml has readiness_check.app_start_timeout_sec sets it again."})
  static final class Timeout extends AppCommand {
    @Parameters(paramLabel = "SECONDS", description = "1 to 900, or 'default'.")
    String seconds;

    Timeout(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      ObjectNode body = Json.MAPPER.createObjectNode();
      if (seconds.equalsIgnoreCase("default")) {
        body.putNull("boot_timeout_seconds");
      } else {
        int n;
        try {
          n = Integer.parseInt(seconds);
        } catch (NumberFormatException e) {
          throw new CliException("Invalid boot timeout '" + seconds + "': give whole seconds from 1 to 900, or 'default'");
        }
        if (n < 1 || n > 900) {
          throw new CliException("Invalid boot timeout " + n + ": give whole seconds from 1 to 900, or 'default'");
        }
        body.put("boot_timeout_seconds", n);
      }
      context.api().patch(appPath(), body);
      context.out().println(body.get("boot_timeout_seconds").isNull()
          ? "Boot timeout back to the platform's default"
          : "Boot timeout set to " + seconds + " s for instances started from now on");
      return 0;
    }
  }
}
