package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code logs:retention} topic: how many days an app's logs stay searchable. */
final class LogRetentionCommands {
  private static final Pattern DAYS = Pattern.compile("(\\d{1,9})[dD]?");

  private LogRetentionCommands() {}

  @Command(name = "logs:retention", mixinStandardHelpOptions = true,
      description = "Show how many days an app's logs are kept for logs:search.")
  static final class Show extends AppCommand {
    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    Show(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode retention = context.api().get(appPath() + "/logs/retention");
      if (json) {
        context.out().println(Json.pretty(retention));
      } else {
        context.out().println("Logs of " + appName() + " are kept for " + days(retention));
      }
      return 0;
    }
  }

  @Command(name = "logs:retention:set", mixinStandardHelpOptions = true,
      description = "Keep an app's logs for DAYS days (1 to 365); older lines are deleted.")
  static final class Set extends AppCommand {
    @Parameters(paramLabel = "DAYS", description = "Number of days, such as 14 or 14d.")
    String days;

    Set(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      int value = parseDays(days);
      JsonNode retention = context.api().put(appPath() + "/logs/retention",
          Json.MAPPER.createObjectNode().put("days", value));
      context.out().println("Logs of " + appName() + " are now kept for " + days(retention));
      return 0;
    }
  }

  /**
   * Parses {@code 14} or {@code 14d}.
   *
   * @throws CliException unless it is a whole number of days from 1 to 365
   */
  static int parseDays(String text) {
    Matcher matcher = DAYS.matcher(text.strip());
    int days = matcher.matches() ? Integer.parseInt(matcher.group(1)) : 0;
    if (days < 1 || days > 365) {
      throw new CliException("Invalid retention '" + text + "': use a number of days from 1 to 365, such as 14 or 14d");
    }
    return days;
  }

  private static String days(JsonNode retention) {
    JsonNode days = retention.path("days");
    if (!days.isNumber()) {
      return "- days";
    }
    return days.asInt() + (days.asInt() == 1 ? " day" : " days");
  }
}
