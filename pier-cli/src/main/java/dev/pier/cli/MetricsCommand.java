package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pier metrics}: an app's request counts, status classes, bytes and response times over a
 * range, each instance's memory and CPU, and charts of throughput and p95 (see {@link MetricsView}).
 */
@Command(name = "metrics", mixinStandardHelpOptions = true,
    description = {"Show an app's traffic, response times, memory and CPU over a range.",
        "Ranges up to 1h have 10 s points; up to 24h, 1 min points."})
final class MetricsCommand extends AppCommand {
  @Option(names = "--since", paramLabel = "WHEN", defaultValue = "1h",
      description = "Range to show: a duration such as 15m, 1h, 24h, or an ISO-8601 time (default: ${DEFAULT-VALUE}).")
  String since;

  @Option(names = "--json", description = "Print the API's JSON.")
  boolean json;

  MetricsCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    Since range = Since.parse(since);
    JsonNode metrics = context.api().get(appPath() + "/metrics" + new QueryString().add("since", range.text()));
    if (json) {
      context.out().println(Json.pretty(metrics));
      return 0;
    }
    MetricsView.render(appName(), range, metrics).forEach(context.out()::println);
    return 0;
  }
}
