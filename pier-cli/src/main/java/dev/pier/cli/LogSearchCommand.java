package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pier logs:search}: searches an app's stored logs and prints the matching lines, newest
 * first, as the API returns them. Finding nothing is not a failure: stdout stays empty, a note goes
 * to stderr and the exit code is 0, so scripts can tell "no match" from "cannot search".
 */
@Command(
    name = "logs:search",
    mixinStandardHelpOptions = true,
    description = {"Search an app's stored logs; prints matching lines, newest first.",
        "Lines must contain all the words; quote words to search for a phrase:",
        "  pier logs:search \"connection refused\" --since 2h"})
final class LogSearchCommand extends AppCommand {
  private static final Set<String> SOURCES = Set.of("app", "router", "platform");
  private static final Pattern INSTANCE = Pattern.compile("[a-z][a-z0-9_-]{0,29}(\\.[1-9]\\d{0,4})?");

  @Parameters(arity = "0..*", paramLabel = "TEXT", description = "Words (or quoted phrases) the lines must contain.")
  List<String> words = List.of();

  @Option(names = "--since", paramLabel = "WHEN",
      description = "Only lines since then: a duration such as 30s, 15m, 2h, 7d, or an ISO-8601 time.")
  String since;

  @Option(names = "--source", paramLabel = "SOURCE", description = "Only lines from app, router or platform.")
  String source;

  @Option(names = {"--instance", "--dyno"}, paramLabel = "INSTANCE",
      description = "Only lines of one instance (web.1) or of every instance of a process type (web).")
  String instance;

  @Option(names = {"-n", "--limit"}, paramLabel = "LIMIT", defaultValue = "100",
      description = "Most lines to show, 1 to 1000 (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "Print the API's JSON.")
  boolean json;

  LogSearchCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    SearchText text = SearchText.of(words);
    Since range = since == null ? null : Since.parse(since);
    if (source != null && !SOURCES.contains(source)) {
      throw new CliException("Invalid --source '" + source + "': use app, router or platform");
    }
    if (instance != null && !INSTANCE.matcher(instance).matches()) {
      throw new CliException("Invalid --instance '" + instance + "': use TYPE.N or TYPE, such as web.1 or web");
    }
    if (limit < 1 || limit > 1000) {
      throw new CliException("Invalid --limit " + limit + ": use a number of lines from 1 to 1000");
    }
    String path = appPath() + "/logs/search" + new QueryString()
        .add("q", text.q())
        .add("since", range == null ? null : range.text())
        .add("source", source)
        .add("instance", instance)
        .add("limit", limit);
    JsonNode entries = context.api().get(path);
    PrintStream out = context.out();
    if (json) {
      out.println(Json.pretty(entries));
      return 0;
    }
    for (JsonNode entry : entries) {
      out.println(entry.hasNonNull("line") ? entry.get("line").asText() : entry.path("text").asText());
    }
    if (entries.isEmpty()) {
      context.err().println("No matching lines in "
          + (range == null ? "the stored logs of " + appName() : range.describe()));
    }
    return 0;
  }
}
