package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code apps:info}: an app's details in Heroku's terms (#10). */
@Command(
    name = "apps:info",
    mixinStandardHelpOptions = true,
    description = {"Show an app's details.",
        "Its URLs, owner, buildpacks, current release, dynos with their sizes, domains, add-ons, pipeline"
            + " stage and maintenance mode."})
final class AppInfoCommand extends AppCommand {
  @Option(names = "--json", description = "Print the API's JSON.")
  boolean json;

  AppInfoCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    JsonNode info = context.api().get(appPath() + "/info");
    PrintStream out = context.out();
    if (json) {
      out.println(Json.pretty(info));
      return 0;
    }
    Map<String, String> fields = new TreeMap<>();
    fields.put("Add-ons", listOrNone(info.path("addons")));
    fields.put("Buildpacks", buildpacks(info));
    String created = info.path("created_at").asText("");
    fields.put("Created", created.isEmpty() ? "" : Format.time(Instant.parse(created)));
    fields.put("Domains", listOrNone(info.path("domains")));
    fields.put("Dynos", dynos(info.path("formation")));
    fields.put("Git URL", info.path("git_url").asText());
    fields.put("Maintenance", info.path("maintenance").asBoolean() ? "on" : "off");
    fields.put("Owner", info.path("owner").asText());
    JsonNode pipeline = info.path("pipeline");
    fields.put("Pipeline", pipeline.isObject()
        ? pipeline.path("name").asText() + " - " + pipeline.path("stage").asText() : "(none)");
    JsonNode release = info.path("release");
    fields.put("Release", release.isObject()
        ? "v" + release.path("version").asText() + " (" + release.path("description").asText() + ")"
        : "none (not deployed yet)");
    fields.put("Web URL", info.path("web_url").asText());
    out.println(Format.header(info.path("name").asText()));
    Format.keyValues(fields).forEach(out::println);
    return 0;
  }

  private static String buildpacks(JsonNode info) {
    List<String> packs = new ArrayList<>();
    info.path("buildpacks").forEach(b -> packs.add(b.asText()));
    if (packs.isEmpty()) return "(detected at the first build)";
    String language = info.path("language").asText("");
    return String.join(", ", packs) + (language.isEmpty() ? "" : " (" + language + ")");
  }

  /** {@code web: 2 x standard-1x, worker: 0 x default}. */
  private static String dynos(JsonNode formation) {
    List<String> parts = new ArrayList<>();
    for (JsonNode p : formation) {
      parts.add(p.path("type").asText() + ": " + p.path("quantity").asInt() + " x " + p.path("size").asText("default"));
    }
    return parts.isEmpty() ? "(none)" : String.join(", ", parts);
  }

  private static String listOrNone(JsonNode list) {
    List<String> items = new ArrayList<>();
    list.forEach(i -> items.add(i.asText()));
    return items.isEmpty() ? "(none)" : String.join(", ", items);
  }
}
