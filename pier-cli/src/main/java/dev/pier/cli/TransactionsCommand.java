package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pier transactions}: one row per route (method and path pattern) with its request count,
 * throughput, mean and p95 time and error rate, in the API's order (busiest first); with
 * {@code --slow}, the slowest recorded requests of each route follow.
 */
@Command(name = "transactions", mixinStandardHelpOptions = true,
    description = "Show an app's routes by request count: throughput, mean and p95 time, error rate.")
final class TransactionsCommand extends AppCommand {
  @Option(names = "--slow", description = "Also list the slowest requests of each route.")
  boolean slow;

  @Option(names = "--json", description = "Print the API's JSON.")
  boolean json;

  TransactionsCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    JsonNode transactions = context.api().get(appPath() + "/transactions");
    PrintStream out = context.out();
    if (json) {
      out.println(Json.pretty(transactions));
      return 0;
    }
    out.println(Format.header(appName() + " Transactions"));
    if (transactions.isEmpty()) {
      out.println("No requests recorded for " + appName() + " yet");
      return 0;
    }
    Table table = new Table(false, false, true, true, true, true, true);
    table.row("Method", "Route", "Count", "RPM", "Mean ms", "p95 ms", "Errors");
    for (JsonNode route : transactions) {
      JsonNode errorRate = route.path("error_rate");
      table.row(
          route.path("method").asText("-"),
          route.path("route").asText("-"),
          MetricsView.number(route.path("count")),
          MetricsView.number(route.path("throughput_per_minute")),
          MetricsView.number(route.path("mean_ms")),
          MetricsView.number(route.path("p95_ms")),
          errorRate.isNumber() ? String.format(Locale.ROOT, "%.1f%%", errorRate.asDouble() * 100) : "-");
    }
    table.lines().forEach(out::println);
    if (slow) {
      for (JsonNode route : transactions) {
        out.println();
        out.println(Format.header("Slowest " + route.path("method").asText("-") + " " + route.path("route").asText("-")));
        printSlowest(out, route.path("slowest"));
      }
    }
    return 0;
  }

  private static void printSlowest(PrintStream out, JsonNode slowest) {
    if (!slowest.isArray() || slowest.isEmpty()) {
      out.println("No slow requests recorded");
      return;
    }
    Table table = new Table(true, false, false, false, false);
    for (JsonNode request : slowest) {
      if (request.isNumber()) {
        table.row(MetricsView.number(request) + " ms", "", "", "", "");
        continue;
      }
      JsonNode duration = request.hasNonNull("duration_ms") ? request.get("duration_ms") : request.path("ms");
      table.row(
          duration.isNumber() ? MetricsView.number(duration) + " ms" : "-",
          text(request.path("status")),
          text(request.hasNonNull("path") ? request.get("path") : request.path("url")),
          text(request.path("time")),
          text(request.path("instance")));
    }
    table.lines().forEach(out::println);
  }

  private static String text(JsonNode value) {
    return value.isMissingNode() || value.isNull() ? "-" : value.asText();
  }
}
