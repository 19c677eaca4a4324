package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code builds} topic: an app's builds, one build's output, and the build cache. */
final class BuildsCommands {
  private BuildsCommands() {}

  @Command(name = "builds", mixinStandardHelpOptions = true,
      description = {"List an app's builds, newest first, with status, buildpack and duration.",
          "Builds are numbered per app (1, 2, 3...); `pier builds:info NUMBER` shows one with its output."})
  static final class ListBuilds extends AppCommand {
    @Option(names = {"-n", "--num"}, paramLabel = "N", description = "How many (default 20, at most 500).")
    int num = 20;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    ListBuilds(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      if (num < 1 || num > 500) throw new CliException("--num must be from 1 to 500");
      JsonNode builds = context.api().get(appPath() + "/builds?limit=" + num);
      PrintStream out = context.out();
      if (json) {
        out.println(Json.pretty(builds));
        return 0;
      }
      out.println(Format.header(appName() + " Builds"));
      if (builds.isEmpty()) {
        out.println("No builds yet: deploy with `git push pier main` or `pier deploy`.");
        return 0;
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"NUMBER", "STATUS", "RELEASE", "BUILDPACK", "STARTED", "DURATION"});
      for (JsonNode b : builds) {
        rows.add(new String[] {
          b.path("number").asText(), b.path("status").asText(),
          b.hasNonNull("release") ? "v" + b.get("release").asText() : "-",
          text(b.path("buildpack")) + (b.hasNonNull("language")
              && !b.get("language").asText().equals(b.path("buildpack").asText())
              ? " (" + b.get("language").asText() + ")" : ""),
          b.hasNonNull("started_at") ? Format.time(Instant.parse(b.get("started_at").asText())) : "-",
          duration(b)});
      }
      int[] widths = new int[rows.getFirst().length];
      for (String[] row : rows) {
        for (int i = 0; i < row.length; i++) widths[i] = Math.max(widths[i], row[i].length());
      }
      for (String[] row : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) line.append(Format.pad(row[i], widths[i] + 2));
        out.println(line.toString().stripTrailing());
      }
      return 0;
    }
  }

  @Command(name = "builds:info", mixinStandardHelpOptions = true,
      description = {"Show one build (default: the latest) with its output.",
          "The output is as the pushing client saw it (the server keeps up to 1 MB of it)."})
  static final class Info extends AppCommand {
    @Parameters(arity = "0..1", paramLabel = "NUMBER",
        description = "The build's number in the app (1, 2, 3...), as `pier builds` shows it.")
    Integer id;

    @Option(names = "--tail", paramLabel = "N", description = "Show only the last N lines of the output.")
    Integer tail;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    Info(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      ApiClient api = context.api();
      int wanted;
      if (id == null) {
        JsonNode latest = api.get(appPath() + "/builds?limit=1");
        if (latest.isEmpty()) throw new CliException(appName() + " has no builds yet");
        wanted = latest.get(0).path("number").asInt();
      } else {
        wanted = id;
      }
      JsonNode b = api.get(appPath() + "/builds/" + wanted);
      PrintStream out = context.out();
      if (json) {
        out.println(Json.pretty(b));
        return 0;
      }
      out.println(Format.header(appName() + " Build " + b.path("number").asText()));
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("Status", b.path("status").asText());
      fields.put("Description", text(b.path("description")));
      fields.put("By", text(b.path("created_by")));
      fields.put("Buildpack", text(b.path("buildpack")));
      fields.put("Language", text(b.path("language")));
      if (b.hasNonNull("runtime")) fields.put("Runtime", b.get("runtime").asText());
      fields.put("Release", b.hasNonNull("release") ? "v" + b.get("release").asText() : "-");
      if (b.hasNonNull("started_at")) {
        Instant started = Instant.parse(b.get("started_at").asText());
        fields.put("Started", Format.timeAgo(started, Duration.between(started, context.clock().instant())));
      }
      fields.put("Duration", duration(b));
      Format.keyValues(fields).forEach(out::println);
      String output = b.path("output").asText("");
      if (!output.isEmpty()) {
        List<String> lines = List.of(output.split("\n"));
        if (tail != null && tail >= 0 && tail < lines.size()) lines = lines.subList(lines.size() - tail, lines.size());
        out.println();
        out.println(Format.header("Output"));
        lines.forEach(out::println);
      }
      return 0;
    }
  }

  @Command(name = "builds:cache:purge", mixinStandardHelpOptions = true,
      description = {"Delete the app's build cache: the next build starts cold.",
          "Dependency caches and custom buildpacks' caches go. Waits for a running build to end."})
  static final class PurgeCache extends AppCommand {
    PurgeCache(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode result = context.api().delete(appPath() + "/build-cache");
      context.out().println("Build cache of " + appName() + " purged ("
          + Format.size(result.path("purged_bytes").asLong()) + "). The next build starts cold.");
      return 0;
    }
  }

  static String duration(JsonNode b) {
    if (!b.hasNonNull("started_at") || !b.hasNonNull("finished_at")) return "-";
    Duration d = Duration.between(Instant.parse(b.get("started_at").asText()),
        Instant.parse(b.get("finished_at").asText()));
    long s = d.toSeconds();
    return s < 60 ? (d.toMillis() / 100) / 10.0 + "s" : s / 60 + "m" + s % 60 + "s";
  }

  private static String text(JsonNode v) {
    return v.isMissingNode() || v.isNull() || v.asText().isEmpty() ? "-" : v.asText();
  }
}
