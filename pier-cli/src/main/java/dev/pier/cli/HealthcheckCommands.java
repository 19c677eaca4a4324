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
        context.out().println(out.toPrettyString());
      } else if (path.isTextual()) {
        context.out().println("GET " + path.asText() + " must answer 2xx before an instance gets traffic");
      } else {
        context.out().println("No readiness path: instances get traffic once their port accepts connections"
            + " (or app.yaml readiness_check.path answers 2xx)");
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
}
