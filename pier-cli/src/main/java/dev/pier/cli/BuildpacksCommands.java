package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code buildpacks} topic, as Heroku's: the buildpacks an app's builds run. With none set,
 * each build detects one; with some set, they all run in order on the same app (the last one's
 * default process types win).
 */
final class BuildpacksCommands {
  private BuildpacksCommands() {}

  static final String BUILDPACK_HELP =
      "A built-in name (nodejs, java, python, go, static, procfile; also heroku/NAME), a git URL"
          + " (https://host/bp.git, file:///srv/bp.git, with #BRANCH_OR_TAG), a .tgz/.tar.gz URL"
          + " or path, or a directory on the Pier server (an absolute path).";

  @Command(name = "buildpacks", mixinStandardHelpOptions = true,
      description = {"List the buildpacks an app's builds run, in order.",
          "With none set, each build detects one (see the user guide, Buildpacks)."})
  static final class ListBuildpacks extends AppCommand {
    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    ListBuildpacks(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode node = context.api().get(appPath() + "/buildpacks");
      if (json) {
        context.out().println(Json.pretty(node));
        return 0;
      }
      print(context.out(), appName(), node);
      return 0;
    }
  }

  static void print(PrintStream out, String app, JsonNode node) {
    JsonNode list = node.path("buildpacks");
    if (list.isEmpty()) {
      out.println(app + " has no buildpacks set: each build detects one ("
          + String.join(" -> ", names(node.path("built_in"))) + ").");
      return;
    }
    out.println(Format.header(app + " Buildpack" + (list.size() == 1 ? "" : "s")));
    int i = 1;
    for (JsonNode bp : list) {
      out.println(list.size() == 1 ? bp.asText() : i++ + ". " + bp.asText());
    }
  }

  private static java.util.List<String> names(JsonNode array) {
    java.util.List<String> names = new java.util.ArrayList<>();
    array.forEach(n -> names.add(n.asText()));
    return names;
  }

  @Command(name = "buildpacks:set", mixinStandardHelpOptions = true,
      description = {"Set the app's buildpack, replacing those set (or the one at --index).",
          "The next build uses it; `git push` or `pier deploy` to build."})
  static final class Set extends AppCommand {
    @Parameters(paramLabel = "BUILDPACK", description = BUILDPACK_HELP)
    String buildpack;

    @Option(names = {"-i", "--index"}, paramLabel = "N",
        description = "Replace only the buildpack at this position (1 is first).")
    Integer index;

    Set(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      ApiClient api = context.api();
      ArrayNode list = Json.MAPPER.createArrayNode();
      if (index != null) {
        JsonNode current = api.get(appPath() + "/buildpacks").path("buildpacks");
        if (index < 1 || index > Math.max(1, current.size())) {
          throw new CliException("--index must be from 1 to " + Math.max(1, current.size()));
        }
        for (int i = 0; i < current.size(); i++) {
          list.add(i == index - 1 ? buildpack : current.get(i).asText());
        }
        if (current.isEmpty()) list.add(buildpack);
      } else {
        list.add(buildpack);
      }
      ObjectNode body = Json.MAPPER.createObjectNode();
      body.set("buildpacks", list);
      JsonNode result = api.put(appPath() + "/buildpacks", body);
      context.out().println("Buildpack set. Next release on " + appName() + " will use "
          + String.join(", ", names(result.path("buildpacks"))) + ".");
      context.out().println("Run `git push pier main` or `pier deploy` to create a new release using it.");
      return 0;
    }
  }

  @Command(name = "buildpacks:add", mixinStandardHelpOptions = true,
      description = {"Add a buildpack to the app's list (last, or at --index).",
          "All buildpacks set run in order on the same app (multi-buildpack)."})
  static final class Add extends AppCommand {
    @Parameters(paramLabel = "BUILDPACK", description = BUILDPACK_HELP)
    String buildpack;

    @Option(names = {"-i", "--index"}, paramLabel = "N", description = "Insert at this position (1 is first).")
    Integer index;

    Add(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      ObjectNode body = Json.MAPPER.createObjectNode().put("buildpack", buildpack);
      if (index != null) body.put("index", index);
      JsonNode result = context.api().post(appPath() + "/buildpacks", body);
      context.out().println("Buildpack added. Next release on " + appName() + " will use:");
      print(context.out(), appName(), result);
      return 0;
    }
  }

  @Command(name = "buildpacks:remove", mixinStandardHelpOptions = true,
      description = "Remove one buildpack from the app's list, by name/URL or by --index.")
  static final class Remove extends AppCommand {
    @Parameters(arity = "0..1", paramLabel = "BUILDPACK", description = "The buildpack as `pier buildpacks` shows it.")
    String buildpack;

    @Option(names = {"-i", "--index"}, paramLabel = "N", description = "Remove the buildpack at this position.")
    Integer index;

    Remove(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      if ((buildpack == null) == (index == null)) {
        throw new CliException("Give either a BUILDPACK or --index N");
      }
      String query = new QueryString().add("buildpack", buildpack).add("index", index).toString();
      JsonNode result = context.api().delete(appPath() + "/buildpacks" + query);
      context.out().println("Buildpack removed.");
      print(context.out(), appName(), result);
      return 0;
    }
  }

  @Command(name = "buildpacks:clear", mixinStandardHelpOptions = true,
      description = "Clear the app's buildpacks: the next build detects one again.")
  static final class Clear extends AppCommand {
    Clear(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      context.api().delete(appPath() + "/buildpacks");
      context.out().println("Buildpacks cleared. The next release on " + appName() + " will detect its buildpack.");
      return 0;
    }
  }
}
