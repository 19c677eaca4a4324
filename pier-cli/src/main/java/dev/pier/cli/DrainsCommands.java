package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code drains} topic: log drains forward every line of an app to a syslog server or an
 * HTTP endpoint. A slow or dead drain drops lines instead of slowing the app; {@code drains}
 * shows how many were sent and dropped.
 */
final class DrainsCommands {
  private DrainsCommands() {}

  @Command(name = "drains", mixinStandardHelpOptions = true,
      description = "List an app's log drains with the lines each has sent and dropped.")
  static final class ListDrains extends AppCommand {
    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    ListDrains(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode drains = context.api().get(appPath() + "/drains");
      PrintStream out = context.out();
      if (json) {
        out.println(Json.pretty(drains));
        return 0;
      }
      if (drains.isEmpty()) {
        out.println(appName() + " has no log drains.");
        return 0;
      }
      for (JsonNode drain : drains) {
        List<String> facts = new ArrayList<>(List.of(
            "id " + text(drain.path("id")), "sent " + text(drain.path("sent")), "dropped " + text(drain.path("dropped"))));
        if (drain.path("failures").asLong(0) > 0) {
          facts.add("failures " + drain.get("failures").asLong());
        }
        out.println(drain.path("url").asText("-") + "  (" + String.join(", ", facts) + ")");
        if (drain.hasNonNull("last_error")) {
          out.println("    last error: " + drain.get("last_error").asText());
        }
      }
      return 0;
    }

    private static String text(JsonNode value) {
      return value.isMissingNode() || value.isNull() ? "-" : value.asText();
    }
  }

  @Command(name = "drains:add", mixinStandardHelpOptions = true,
      description = {"Forward an app's log lines to a syslog server or an HTTP(S) endpoint.",
          "URL is syslog+tcp://HOST:PORT, or an http:// or https:// URL that receives POSTed batches."})
  static final class Add extends AppCommand {
    @Parameters(paramLabel = "URL", description = "The drain, such as syslog+tcp://logs.example:514.")
    String url;

    Add(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      DrainUrl drain = DrainUrl.parse(url);
      context.api().post(appPath() + "/drains", Json.MAPPER.createObjectNode().put("url", drain.url()));
      context.out().println("Successfully added drain " + drain);
      return 0;
    }
  }

  @Command(name = "drains:remove", mixinStandardHelpOptions = true,
      description = "Stop forwarding an app's log lines to a drain, given by its URL or its id.")
  static final class Remove extends AppCommand {
    @Parameters(paramLabel = "URL_OR_ID", description = "The drain's URL, or its id as `drains` shows it.")
    String drain;

    Remove(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      String target = drain.strip();
      if (target.isEmpty()) {
        throw new CliException("Give the drain's URL or id, as `pier drains` shows it");
      }
      ApiClient api = context.api();
      long id;
      if (target.matches("\\d{1,18}")) {
        id = Long.parseLong(target);
      } else {
        id = idOf(api.get(appPath() + "/drains"), target);
      }
      api.delete(appPath() + "/drains/" + id);
      context.out().println("Successfully removed drain " + target);
      return 0;
    }

    private long idOf(JsonNode drains, String url) {
      for (JsonNode drain : drains) {
        if (drain.path("url").asText().equals(url) && drain.path("id").canConvertToLong()) {
          return drain.get("id").asLong();
        }
      }
      throw new CliException("No drain " + url + " on " + appName());
    }
  }
}
