package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code versions} topic: the versions of an app that run or have traffic, each reachable at
 * its own version URL, and stopping or starting one of them.
 */
final class VersionsCommands {
  private VersionsCommands() {}

  @Command(
      name = "versions",
      mixinStandardHelpOptions = true,
      description = "List the versions that run or have traffic: share, instances, state and version URL.")
  static final class ListVersions extends AppCommand {
    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    ListVersions(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode node = context.api().get(appPath() + "/versions");
      PrintStream out = context.out();
      if (json) {
        out.println(Json.pretty(node));
        return 0;
      }
      Version[] versions = Json.convert(node.path("versions"), Version[].class);
      String splitBy = node.path("split_by").asText("random");
      out.println(Format.header(appName() + " Versions - traffic split by " + splitBy));
      if (versions.length == 0) {
        out.println("No versions running on " + appName());
        return 0;
      }
      List<String[]> rows = new ArrayList<>();
      for (Version version : versions) {
        int instances = version.instances() == null ? 0 : version.instances();
        rows.add(new String[] {
          "v" + version.version(),
          (version.percent() == null ? 0 : version.percent()) + "%",
          instances + (instances == 1 ? " instance" : " instances"),
          version.state() == null ? "" : version.state(),
          version.versionUrl() == null ? "" : version.versionUrl(),
        });
      }
      int[] widths = new int[rows.get(0).length];
      rows.forEach(row -> {
        for (int i = 0; i < row.length; i++) {
          widths[i] = Math.max(widths[i], row[i].length());
        }
      });
      for (String[] row : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
          line.append(i == 0 ? "" : "  ").append(Format.pad(row[i], widths[i]));
        }
        out.println(line.toString().stripTrailing());
      }
      return 0;
    }
  }

  @Command(
      name = "versions:stop",
      mixinStandardHelpOptions = true,
      description = "Stop a version's instances. Refused while it has a share of the traffic.")
  static final class Stop extends AppCommand {
    @Parameters(paramLabel = "VERSION", description = "The version, such as v3 or 3.")
    String version;

    Stop(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      return change(this, version, "stop", "Stopping");
    }
  }

  @Command(
      name = "versions:start",
      mixinStandardHelpOptions = true,
      description = {"Start a version's instances without giving it traffic; it answers at its version URL.",
          "Waits until its instances are ready."})
  static final class Start extends AppCommand {
    @Parameters(paramLabel = "VERSION", description = "The version, such as v3 or 3.")
    String version;

    Start(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      return change(this, version, "start", "Starting");
    }
  }

  /** POSTs {@code /apps/{app}/versions/{N}/{action}} and prints {@code "Stopping v3... done"}. */
  private static int change(AppCommand command, String version, String action, String doing) {
    VersionArgument target = VersionArgument.parse(version);
    String path = command.appPath() + "/versions/" + target.number() + "/" + action;
    ApiClient api = command.context.api();
    PrintStream out = command.context.out();
    out.print(doing + " " + target + "... ");
    out.flush();
    try {
      api.post(path, Json.MAPPER.createObjectNode());
    } catch (CliException e) {
      out.println("!");
      throw e;
    }
    out.println("done");
    return 0;
  }
}
