package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code pipelines} topic (#10): group apps in stages and promote a stage's build to the next. */
final class PipelinesCommands {
  private PipelinesCommands() {}

  @Command(name = "pipelines", mixinStandardHelpOptions = true, description = "List your pipelines.")
  static final class ListPipelines implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    ListPipelines(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      JsonNode pipelines = context.api().get("/pipelines");
      PrintStream out = context.out();
      if (json) {
        out.println(Json.pretty(pipelines));
        return 0;
      }
      if (pipelines.isEmpty()) {
        out.println("You have no pipelines.");
        return 0;
      }
      out.println(Format.header("Pipelines"));
      Table table = new Table(false, false);
      for (JsonNode p : pipelines) table.row(p.path("name").asText(), stagesLine(p));
      table.lines().forEach(out::println);
      return 0;
    }
  }

  @Command(
      name = "pipelines:create",
      mixinStandardHelpOptions = true,
      description = {"Create a pipeline of existing apps in ordered stages.",
          "Give one --stage per stage, in promotion order, e.g. --stage staging=shop-staging --stage production=shop."})
  static final class Create implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "NAME", description = "Name of the new pipeline.")
    String name;

    @Option(names = {"-s", "--stage"}, paramLabel = "STAGE=APP[,APP...]", required = true,
        description = "A stage and its apps; repeat it for each stage, in promotion order.")
    List<String> stages = new ArrayList<>();

    @Option(names = {"-a", "--app"}, paramLabel = "APP",
        description = "As Heroku's `pipelines:create NAME -a APP --stage STAGE`: the one app of a single --stage.")
    String app;

    Create(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      Map<String, List<String>> parsed = new LinkedHashMap<>();
      if (app != null) {
        if (stages.size() != 1 || stages.getFirst().contains("=")) {
          throw new CliException("With -a APP give one --stage STAGE (without =APP), or leave -a out.");
        }
        stages = List.of(stages.getFirst() + "=" + app);
      }
      for (String stage : stages) {
        int eq = stage.indexOf('=');
        if (eq <= 0 || eq == stage.length() - 1) {
          throw new CliException("Invalid --stage " + stage + ": use STAGE=APP, e.g. --stage staging=shop-staging");
        }
        List<String> apps = parsed.computeIfAbsent(stage.substring(0, eq).strip(), s -> new ArrayList<>());
        for (String app : stage.substring(eq + 1).split(",")) {
          if (!app.isBlank()) apps.add(app.strip());
        }
      }
      ObjectNode body = Json.MAPPER.createObjectNode().put("name", name);
      ArrayNode list = body.putArray("stages");
      parsed.forEach((stage, apps) -> {
        ObjectNode s = list.addObject().put("name", stage);
        ArrayNode names = s.putArray("apps");
        apps.forEach(names::add);
      });
      PrintStream out = context.out();
      out.print("Creating " + name + " pipeline... ");
      out.flush();
      JsonNode created;
      try {
        created = context.api().post("/pipelines", body);
      } catch (CliException e) {
        out.println("!");
        throw e;
      }
      out.println("done");
      out.println(stagesLine(created));
      return 0;
    }
  }

  @Command(name = "pipelines:info", mixinStandardHelpOptions = true,
      description = "Show a pipeline's stages and the apps in each.")
  static final class Info implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "NAME", description = "The pipeline.")
    String name;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    Info(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      JsonNode pipeline = context.api().get("/pipelines/" + name);
      PrintStream out = context.out();
      if (json) {
        out.println(Json.pretty(pipeline));
        return 0;
      }
      out.println(Format.header(pipeline.path("name").asText()));
      Table table = new Table(false, false);
      table.row("STAGE", "APPS");
      for (JsonNode stage : pipeline.path("stages")) {
        List<String> apps = new ArrayList<>();
        stage.path("apps").forEach(a -> apps.add(a.asText()));
        table.row(stage.path("name").asText(), apps.isEmpty() ? "(none)" : String.join(", ", apps));
      }
      table.lines().forEach(out::println);
      return 0;
    }
  }

  @Command(name = "pipelines:destroy", mixinStandardHelpOptions = true,
      description = "Destroy a pipeline; its apps stay as they are.")
  static final class Destroy implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "NAME", description = "The pipeline.")
    String name;

    Destroy(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      PrintStream out = context.out();
      out.print("Destroying " + name + " pipeline... ");
      out.flush();
      try {
        context.api().delete("/pipelines/" + name);
      } catch (CliException e) {
        out.println("!");
        throw e;
      }
      out.println("done");
      return 0;
    }
  }

  @Command(
      name = "pipelines:promote",
      mixinStandardHelpOptions = true,
      description = {"Promote the app's current release to the apps of the pipeline's next stage.",
          "The exact build (slug) is released there with each app's own config vars, rolled out with"
              + " zero downtime; nothing is rebuilt."})
  static final class Promote extends AppCommand {
    Promote(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      String name = appName();
      PrintStream out = context.out();
      ApiClient api = context.api();
      JsonNode result = OperationStream.follow(out, "Promotion failed",
          lines -> api.sendJsonLines("POST", appPath() + "/pipeline/promotions", Json.MAPPER.createObjectNode(), lines));
      List<String> targets = new ArrayList<>();
      for (JsonNode p : result.path("promoted")) {
        targets.add(p.path("app").asText() + " (v" + p.path("release").asText() + ")");
      }
      out.println("Promoted " + name + " v" + result.path("release").asText() + " to "
          + result.path("stage").asText() + ": " + String.join(", ", targets));
      return 0;
    }
  }

  @Command(
      name = "pipelines:diff",
      mixinStandardHelpOptions = true,
      description = {"Show the commits an app's stage has that the next stage's apps do not.",
          "With a pipeline NAME, compare every stage with the one after it."})
  static final class Diff extends AppCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A pipeline (instead of -a APP).")
    String pipeline;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    Diff(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      if (pipeline != null && app != null) throw new CliException("Give a pipeline NAME or -a APP, not both.");
      JsonNode comparisons = context.api().get(
          pipeline != null ? "/pipelines/" + pipeline + "/diff" : appPath() + "/pipeline/diff");
      PrintStream out = context.out();
      if (json) {
        out.println(Json.pretty(comparisons));
        return 0;
      }
      if (comparisons.isEmpty()) out.println("The pipeline has one stage: there is nothing to compare.");
      for (JsonNode c : comparisons) {
        out.println(Format.header(c.path("app").asText() + " (" + c.path("stage").asText() + ") -> "
            + c.path("target_app").asText() + " (" + c.path("target_stage").asText() + ")"));
        String status = c.path("status").asText();
        out.println(status.equals("up-to-date")
            ? c.path("target_stage").asText() + " is up to date"
            : c.path("message").asText());
        for (JsonNode commit : c.path("commits")) {
          out.println("  " + commit.path("sha").asText().substring(0, 7) + "  "
              + commit.path("message").asText() + " (" + commit.path("author").asText() + ")");
        }
        if (c.path("truncated").asBoolean()) out.println("  ... (more commits not shown)");
      }
      return 0;
    }
  }

  /** {@code staging: shop-staging -> production: shop}. */
  static String stagesLine(JsonNode pipeline) {
    List<String> parts = new ArrayList<>();
    for (JsonNode stage : pipeline.path("stages")) {
      List<String> apps = new ArrayList<>();
      stage.path("apps").forEach(a -> apps.add(a.asText()));
      parts.add(stage.path("name").asText() + ": " + (apps.isEmpty() ? "(none)" : String.join(", ", apps)));
    }
    return String.join(" -> ", parts);
  }
}
