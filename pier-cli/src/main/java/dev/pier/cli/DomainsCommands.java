package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code domains}, {@code domains:add}, {@code domains:remove}, {@code domains:clear}: an app's
 * custom domains.
 */
final class DomainsCommands {
  private DomainsCommands() {}

  private static String path(AppCommand command) {
    return command.appPath() + "/domains";
  }

  @Command(
      name = "domains",
      mixinStandardHelpOptions = true,
      description = {"List the app's domains: its built-in APP.DOMAIN first, then its custom domains.",
          "Point a custom domain's DNS (or /etc/hosts) at the router to reach the app there."})
  static final class ListDomains extends AppCommand {
    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    ListDomains(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode all = context.api().get(path(this));
      if (json) {
        context.out().println(Json.pretty(all));
        return 0;
      }
      context.out().println("=== " + appName() + " Heroku-style domain");
      for (JsonNode d : all) {
        if ("builtin".equals(d.path("kind").asText())) context.out().println(d.path("hostname").asText());
      }
      context.out().println();
      context.out().println("=== " + appName() + " Custom Domains");
      Table table = new Table(false, false);
      table.row("Domain Name", "Added");
      int custom = 0;
      for (JsonNode d : all) {
        if (!"custom".equals(d.path("kind").asText())) continue;
        table.row(d.path("hostname").asText(), d.path("created_at").asText());
        custom++;
      }
      if (custom == 0) {
        context.out().println("(none)");
      } else {
        table.lines().forEach(context.out()::println);
      }
      return 0;
    }
  }

  @Command(
      name = "domains:add",
      mixinStandardHelpOptions = true,
      description = {"Add a custom domain to the app, for example www.example.com or *.example.com.",
          "A wildcard matches exactly one label (a.example.com, not example.com nor a.b.example.com); an exact"
              + " domain wins over a wildcard. A domain belongs to one app."})
  static final class Add extends AppCommand {
    @Parameters(index = "0", paramLabel = "HOSTNAME", description = "The domain, e.g. www.example.com.")
    String hostname;

    Add(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      ObjectNode body = Json.MAPPER.createObjectNode().put("hostname", hostname);
      JsonNode added = context.api().post(path(this), body);
      context.out().println("Adding " + added.path("hostname").asText() + " to " + appName() + "... done");
      context.out().println("Point its DNS (or /etc/hosts) at the Pier router to reach the app there.");
      return 0;
    }
  }

  @Command(
      name = "domains:remove",
      mixinStandardHelpOptions = true,
      description = "Remove a custom domain from the app: the router no longer routes it to the app.")
  static final class Remove extends AppCommand {
    @Parameters(index = "0", paramLabel = "HOSTNAME", description = "The domain, e.g. www.example.com.")
    String hostname;

    Remove(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      context.api().delete(path(this) + "/" + hostname.trim());
      context.out().println("Removing " + hostname.trim() + " from " + appName() + "... done");
      return 0;
    }
  }

  @Command(
      name = "domains:clear",
      mixinStandardHelpOptions = true,
      description = "Remove all custom domains from the app; its built-in APP.DOMAIN stays.")
  static final class Clear extends AppCommand {
    Clear(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      int removed = 0;
      for (JsonNode d : context.api().get(path(this))) {
        if (!"custom".equals(d.path("kind").asText())) continue;
        String hostname = d.path("hostname").asText();
        context.api().delete(path(this) + "/" + hostname);
        removed++;
      }
      context.out().println("Removing " + removed + " custom domain" + (removed == 1 ? "" : "s") + " from "
          + appName() + "... done");
      return 0;
    }
  }
}
