package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code autoscale} topic: let Pier choose how many instances of a process type run, from its
 * load, with Knative's rules (docs/users.md "Autoscaling").
 */
final class AutoscaleCommands {
  private AutoscaleCommands() {}

  @Command(
      name = "autoscale:enable",
      mixinStandardHelpOptions = true,
      description = {
        "Let Pier choose how many instances of a process type run, between --min and --max.",
        "It aims at one target per instance: concurrent requests (the default, 100), requests per second or CPU percent.",
        "With --min 0 the type stops after --idle without requests and starts again on the next request."})
  static final class Enable extends AppCommand {
    @Parameters(paramLabel = "TYPE", description = "The process type, such as web.")
    String type;

    @Option(names = "--min", paramLabel = "N", required = true, description = "The fewest instances, 0 or more.")
    int min;

    @Option(names = "--max", paramLabel = "N", required = true, description = "The most instances, up to 100.")
    int max;

    @Option(names = "--target-concurrency", paramLabel = "X",
        description = "Concurrent requests per instance to aim at (0.1 to 1000).")
    BigDecimal targetConcurrency;

    @Option(names = "--target-rps", paramLabel = "X",
        description = "Requests per second per instance to aim at (0.1 to 100000).")
    BigDecimal targetRps;

    @Option(names = "--target-cpu", paramLabel = "P",
        description = "CPU percent per instance to aim at (1 to 100).")
    BigDecimal targetCpu;

    @Option(names = "--stable-window", paramLabel = "DURATION",
        description = "How far back the average load looks, such as 60s (6s to 1h; default 60s).")
    String stableWindow;

    @Option(names = "--scale-down-delay", paramLabel = "DURATION",
        description = "How long the load must want fewer instances before scaling down (0s to 1h; default 0s).")
    String scaleDownDelay;

    @Option(names = "--idle", paramLabel = "DURATION",
        description = "With --min 0: how long without requests before stopping the last instance (default 5m).")
    String idle;

    Enable(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      ProcessType.check(type);
      AutoscaleSettings settings = AutoscaleSettings.parse(min, max, targetConcurrency, targetRps, targetCpu,
          stableWindow, scaleDownDelay, idle);
      String name = appName();
      JsonNode answer = context.api().put(appPath() + "/autoscale/" + type, settings.body());
      context.out().println("Autoscaling " + type + " of " + name + " between " + settings.min() + " and "
          + settings.max() + " instances, target " + settings.describeTarget(answer) + " per instance");
      return 0;
    }
  }

  @Command(
      name = "autoscale:disable",
      mixinStandardHelpOptions = true,
      description = {
        "Stop autoscaling a process type.",
        "It keeps the instance count it has, or runs --count instances."})
  static final class Disable extends AppCommand {
    @Parameters(paramLabel = "TYPE", description = "The process type, such as web.")
    String type;

    @Option(names = "--count", paramLabel = "N", description = "How many instances to run from now on.")
    Integer count;

    Disable(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      ProcessType.check(type);
      if (count != null && count < 0) {
        throw new CliException("Invalid --count " + count + ": use 0 or more");
      }
      String name = appName();
      JsonNode answer = context.api().delete(appPath() + "/autoscale/" + type + new QueryString().add("count", count));
      JsonNode running = answer.path("count");
      String after = running.isInt()
          ? (count == null ? "keeps " : "now runs ") + running.asInt() + (running.asInt() == 1 ? " instance" : " instances")
          : count == null ? "keeps its current instance count" : "now runs " + count + " instances";
      context.out().println("Autoscaling of " + type + " on " + name + " is off; " + type + " " + after);
      return 0;
    }
  }

  @Command(
      name = "autoscale",
      mixinStandardHelpOptions = true,
      description = {
        "Show the autoscaled process types of an app.",
        "For each running version: desired and actual instances, the observed load, the mode and the last decision with its reason."})
  static final class Show extends AppCommand {
    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    Show(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode node = context.api().get(appPath() + "/autoscale");
      PrintStream out = context.out();
      if (json) {
        out.println(Json.pretty(node));
        return 0;
      }
      AutoscaleStatus[] types = Json.convert(node, AutoscaleStatus[].class);
      if (types.length == 0) {
        out.println("No process type of " + appName() + " autoscales");
        return 0;
      }
      for (int i = 0; i < types.length; i++) {
        if (i > 0) {
          out.println();
        }
        lines(types[i]).forEach(out::println);
      }
      return 0;
    }

    /** Returns the lines that show one autoscaled type. */
    static List<String> lines(AutoscaleStatus status) {
      List<String> lines = new ArrayList<>();
      lines.add(Format.header(status.type() + ": " + status.min() + " to " + status.max() + " instances, target "
          + AutoscaleSettings.describeTarget(status.metric(), status.target()) + " per instance"));
      List<String> windows = new ArrayList<>();
      if (status.stableWindowSeconds() != null) {
        windows.add("stable window " + DurationArgument.describe(status.stableWindowSeconds()));
      }
      if (status.scaleDownDelaySeconds() != null) {
        windows.add("scale-down delay " + DurationArgument.describe(status.scaleDownDelaySeconds()));
      }
      if (status.min() == 0 && status.idleSeconds() != null) {
        windows.add("to zero after " + DurationArgument.describe(status.idleSeconds()) + " without requests");
      }
      if (!windows.isEmpty()) {
        lines.add(Format.list(windows));
      }
      if (status.versions().isEmpty()) {
        lines.add("No version of " + status.type() + " runs");
      }
      for (AutoscaleStatus.VersionScale version : status.versions()) {
        lines.add("v" + version.version() + (version.percent() == null ? "" : " (" + version.percent() + "% of traffic)")
            + ": " + count(version.desired()) + " desired, " + count(version.actual()) + " actual"
            + (version.mode() == null ? "" : ", " + version.mode()));
        Map<String, String> details = new LinkedHashMap<>();
        details.put("Observed", observed(version.observed()));
        details.put("Last decision", lastDecision(version.lastDecision()));
        Format.keyValues(details).forEach(line -> lines.add("  " + line));
      }
      return lines;
    }

    private static String count(Integer count) {
      return count == null ? "?" : String.valueOf(count);
    }

    private static String observed(AutoscaleStatus.Observed observed) {
      if (observed == null) {
        return "no load seen yet";
      }
      List<String> parts = new ArrayList<>();
      if (observed.concurrency() != null) {
        parts.add(String.format(Locale.ROOT, "%.1f concurrent", observed.concurrency()));
      }
      if (observed.rps() != null) {
        parts.add(String.format(Locale.ROOT, "%.1f requests/s", observed.rps()));
      }
      if (observed.cpu() != null) {
        parts.add(String.format(Locale.ROOT, "%.1f%% CPU", observed.cpu()));
      }
      return parts.isEmpty() ? "no load seen yet" : Format.list(parts);
    }

    private static String lastDecision(AutoscaleStatus.LastDecision decision) {
      if (decision == null) {
        return "none yet";
      }
      return (decision.at() == null ? "" : Format.time(decision.at()) + " ")
          + count(decision.from()) + " -> " + count(decision.to())
          + (decision.reason() == null ? "" : " (" + decision.reason() + ")");
    }
  }
}
