package dev.pier.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code traffic} topic: how an app's public traffic is shared between its versions. Both
 * commands stream the server's progress and exit 1 when the change fails.
 */
final class TrafficCommands {
  private TrafficCommands() {}

  @Command(
      name = "traffic:split",
      mixinStandardHelpOptions = true,
      description = {"Share the public traffic between versions; the shares must add up to 100.",
          "Versions that do not run are started first and get traffic once ready."})
  static final class Split extends AppCommand {
    @Parameters(arity = "0..*", paramLabel = "VERSION=PERCENT", description = "For example v3=90 v4=10.")
    List<String> shares = List.of();

    @Option(names = "--split-by", paramLabel = "METHOD",
        description = "How requests are assigned: random, cookie (sticky per browser) or ip (sticky per client address).")
    String splitBy;

    Split(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      TrafficSplit split = TrafficSplit.parse(shares, splitBy);
      String name = appName();
      ApiClient api = context.api();
      PrintStream out = context.out();
      out.println("Splitting traffic on " + name + ": " + split.describe()
          + (split.splitBy() == null ? "" : " by " + split.splitBy()) + "...");
      out.flush();
      OperationStream.follow(out, "Traffic change failed",
          lines -> api.sendJsonLines("PUT", "/apps/" + name + "/traffic", split.body(), lines));
      out.println("Traffic on " + name + " is now " + split.describe());
      return 0;
    }
  }

  @Command(
      name = "traffic:migrate",
      mixinStandardHelpOptions = true,
      description = {"Move all traffic to one version, at once or with --gradual in steps.",
          "Gradual steps are 10, 25, 50, 75 and 100 percent, each held for --step-seconds."})
  static final class Migrate extends AppCommand {
    @Parameters(paramLabel = "VERSION", description = "The version to send all traffic to, such as v4 or 4.")
    String version;

    @Option(names = "--gradual", description = "Move traffic in steps instead of at once.")
    boolean gradual;

    @Option(names = "--step-seconds", paramLabel = "S",
        description = "With --gradual: how long each step is held (default: ${DEFAULT-VALUE}).", defaultValue = "5")
    int stepSeconds;

    Migrate(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      VersionArgument target = VersionArgument.parse(version);
      if (stepSeconds < 1) {
        throw new CliException("Invalid --step-seconds " + stepSeconds + ": use a whole number of seconds, 1 or more");
      }
      String name = appName();
      ObjectNode body = Json.MAPPER.createObjectNode()
          .put("version", target.number())
          .put("gradual", gradual)
          .put("step_seconds", stepSeconds);
      ApiClient api = context.api();
      PrintStream out = context.out();
      out.println("Migrating traffic on " + name + " to " + target
          + (gradual ? " gradually, " + stepSeconds + "s per step" : "") + "...");
      out.flush();
      OperationStream.follow(out, "Traffic migration failed",
          lines -> api.sendJsonLines("POST", "/apps/" + name + "/traffic/migrate", body, lines));
      out.println("All traffic on " + name + " now goes to " + target);
      return 0;
    }
  }
}
