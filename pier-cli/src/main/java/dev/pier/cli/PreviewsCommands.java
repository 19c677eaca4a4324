package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code previews} topic (#10 branch previews): a push of a branch other than main runs as the
 * branch's preview at {@code http://BRANCH.APP.DOMAIN}; list them, remove one, and set how long
 * they may idle. Their own config vars are {@code config --preview BRANCH}.
 */
final class PreviewsCommands {
  private PreviewsCommands() {}

  @Command(
      name = "previews",
      mixinStandardHelpOptions = true,
      description = "List the app's branch previews: branch, URL, release, commit, state and last request.")
  static final class ListPreviews extends AppCommand {
    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    ListPreviews(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode node = context.api().get(appPath() + "/previews");
      PrintStream out = context.out();
      if (json) {
        out.println(Json.pretty(node));
        return 0;
      }
      out.println(Format.header(appName() + " Previews - stopped after " + describe(node.path("idle_seconds").asLong())
          + " without a request"));
      if (node.path("previews").isEmpty()) {
        out.println("No previews of " + appName() + ". Push a branch to create one: git push pier BRANCH");
        return 0;
      }
      Table table = new Table(false, false, false, false, false, false);
      table.row("BRANCH", "URL", "RELEASE", "COMMIT", "STATE", "LAST REQUEST");
      Instant now = context.clock().instant();
      for (JsonNode p : node.path("previews")) {
        String commit = p.path("commit").asText("");
        String last = p.path("last_request_at").isTextual()
            ? Format.age(Duration.between(Instant.parse(p.path("last_request_at").asText()), now)) + " ago"
            : "never";
        table.row(p.path("branch").asText(), p.path("url").asText(), "v" + p.path("version").asInt(),
            commit.length() > 7 ? commit.substring(0, 7) : commit, p.path("state").asText(), last);
      }
      table.lines().forEach(out::println);
      return 0;
    }
  }

  @Command(
      name = "previews:destroy",
      mixinStandardHelpOptions = true,
      description = "Stop and remove a branch's preview (the branch stays; pushing it again builds a new one).")
  static final class Destroy extends AppCommand {
    @Parameters(paramLabel = "BRANCH", description = "The branch, or its preview's host label.")
    String branch;

    Destroy(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      String path = path(this, branch);
      PrintStream out = context.out();
      out.print("Removing the preview of " + branch + " on " + appName() + "... ");
      out.flush();
      context.api().delete(path);
      out.println("done");
      return 0;
    }
  }

  @Command(
      name = "previews:settings",
      mixinStandardHelpOptions = true,
      description = "Show or set how long the app's previews may go without a request before they stop.")
  static final class Settings extends AppCommand {
    @Option(names = "--idle", paramLabel = "DURATION",
        description = "Stop previews after this long without a request, such as 7d, 12h, 30m or 90s"
            + " (10s to 365d; default 7d). The next request starts a stopped preview again.")
    String idle;

    Settings(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode node;
      if (idle == null) {
        node = context.api().get(appPath() + "/preview-settings");
      } else {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("idle_seconds", seconds(idle));
        node = context.api().put(appPath() + "/preview-settings", body);
      }
      context.out().println("Previews of " + appName() + " stop after " + describe(node.path("idle_seconds").asLong())
          + " without a request.");
      return 0;
    }
  }

  /**
   * The API path of {@code branch}'s preview, or a clear error: the preview of exactly that branch,
   * else the one with that host label (branch {@code feature-x} is never mistaken for
   * {@code Feature/X}, whose label is {@code feature-x}). The path names it by its label, which the
   * API looks up first.
   */
  static String path(AppCommand command, String branch) {
    JsonNode list = command.context.api().get(command.appPath() + "/previews");
    JsonNode byLabel = null;
    for (JsonNode p : list.path("previews")) {
      if (p.path("branch").asText().equals(branch)) return command.appPath() + "/previews/" + p.path("label").asText();
      if (byLabel == null && p.path("label").asText().equals(branch)) byLabel = p;
    }
    if (byLabel != null) return command.appPath() + "/previews/" + byLabel.path("label").asText();
    throw new CliException("No preview of branch '" + branch + "' on " + command.appName()
        + ". Push the branch to create one: git push pier " + branch);
  }

  /** Seconds of {@code 7d}, {@code 12h}, {@code 30m}, {@code 90s} or plain seconds. */
  static long seconds(String text) {
    String t = text.strip();
    if (t.matches("\\d{1,4}d")) return Long.parseLong(t.substring(0, t.length() - 1)) * 86400;
    try {
      return DurationArgument.seconds("--idle", t);
    } catch (CliException e) {
      throw new CliException("Invalid --idle '" + text + "': use a duration such as 7d, 12h, 30m or 90s");
    }
  }

  static String describe(long seconds) {
    return seconds > 0 && seconds % 86400 == 0 ? seconds / 86400 + "d" : DurationArgument.describe(seconds);
  }
}
