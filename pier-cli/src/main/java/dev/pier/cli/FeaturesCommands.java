package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code features}, {@code features:enable}, {@code features:disable}: an app's switches, in the
 * shape of Heroku's {@code features} ({@code [+]} on, {@code [ ]} off).
 */
final class FeaturesCommands {
  private FeaturesCommands() {}

  private static String path(AppCommand command) {
    return command.appPath() + "/features";
  }

  @Command(
      name = "features",
      mixinStandardHelpOptions = true,
      description = {"List the app's features, on ([+]) or off ([ ]), each with what it does.",
          "https-only redirects plain HTTP to HTTPS; hsts adds Strict-Transport-Security to HTTPS responses."})
  static final class ListFeatures extends AppCommand {
    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    ListFeatures(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode body = context.api().get(path(this));
      if (json) {
        context.out().println(Json.pretty(body.path("features")));
        return 0;
      }
      context.out().println("=== App Features " + appName());
      Table table = new Table(false, false);
      for (JsonNode f : body.path("features")) {
        table.row((f.path("enabled").asBoolean() ? "[+] " : "[ ] ") + f.path("name").asText(),
            f.path("description").asText());
      }
      table.lines().forEach(context.out()::println);
      return 0;
    }
  }

  /** Switches one feature on or off and says so. */
  private static Integer set(AppCommand command, CliContext context, String feature, boolean on) {
    JsonNode body = Json.MAPPER.createObjectNode().put("enabled", on);
    JsonNode f = context.api().patch(path(command) + "/" + feature.trim(), body);
    context.out().println((on ? "Enabling " : "Disabling ") + f.path("name").asText() + " for "
        + command.appName() + "... done");
    return 0;
  }

  @Command(
      name = "features:enable",
      mixinStandardHelpOptions = true,
      description = {"Turn on one of the app's features (see pier features), from its next request on.",
          "For example: pier features:enable https-only -a APP sends plain-HTTP visitors to the HTTPS"
              + " address with a 308 (ACME challenges excepted)."})
  static final class Enable extends AppCommand {
    @Parameters(index = "0", paramLabel = "FEATURE", description = "The feature, e.g. https-only or hsts.")
    String feature;

    Enable(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      return set(this, context, feature, true);
    }
  }

  @Command(
      name = "features:disable",
      mixinStandardHelpOptions = true,
      description = "Turn off one of the app's features (see pier features), from its next request on.")
  static final class Disable extends AppCommand {
    @Parameters(index = "0", paramLabel = "FEATURE", description = "The feature, e.g. https-only or hsts.")
    String feature;

    Disable(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      return set(this, context, feature, false);
    }
  }
}
