package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code config} topic: an app's environment variables. Every change restarts the app. */
final class ConfigCommands {
  private ConfigCommands() {}

  @Command(name = "config", mixinStandardHelpOptions = true, description = "Show an app's config vars.")
  static final class ListVars extends AppCommand {
    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Option(names = "--preview", paramLabel = "BRANCH",
        description = "Show the config vars set for this branch preview only (the app's apply beneath them).")
    String preview;

    ListVars(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode config = context.api().get(
          preview == null ? appPath() + "/config" : PreviewsCommands.path(this, preview) + "/config");
      PrintStream out = context.out();
      if (json) {
        out.println(Json.pretty(config));
        return 0;
      }
      out.println(Format.header(appName() + (preview == null ? "" : " Preview " + preview) + " Config Vars"));
      Format.keyValues(sorted(config)).forEach(out::println);
      return 0;
    }
  }

  @Command(
      name = "config:set",
      mixinStandardHelpOptions = true,
      description = "Set config vars, then restart the app with a new release.")
  static final class Set extends AppCommand {
    @Parameters(arity = "0..*", paramLabel = "KEY=VALUE", description = "For example NODE_ENV=production.")
    List<String> pairs = List.of();

    @Option(names = "--file", paramLabel = "FILE",
        description = "Also set every var of a dotenv file (KEY=VALUE lines, quotes, # comments);"
            + " KEY=VALUE arguments win over it.")
    java.nio.file.Path file;

    @Option(names = "--preview", paramLabel = "BRANCH",
        description = "Set them for this branch preview only, over the app's, and restart the preview.")
    String preview;

    Set(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      java.util.Map<String, String> all = new java.util.LinkedHashMap<>();
      if (file != null) {
        java.nio.file.Path path = context.cwd().resolve(file);
        String text;
        try {
          text = java.nio.file.Files.readString(path);
        } catch (java.nio.charset.MalformedInputException e) {
          throw new CliException(file + " is not UTF-8 text");
        } catch (java.io.IOException e) {
          throw new CliException("Cannot read " + file + ": " + e.getMessage());
        }
        all.putAll(Dotenv.parse(file.toString(), text));
        if (all.isEmpty()) throw new CliException(file + " sets no config vars");
      }
      pairs.stream().map(ConfigVar::parse).forEach(v -> all.put(v.key(), v.value()));
      if (all.isEmpty()) throw new CliException("Nothing to set: give KEY=VALUE pairs or --file FILE");
      List<ConfigVar> vars = all.entrySet().stream().map(e -> new ConfigVar(e.getKey(), e.getValue())).toList();
      ObjectNode body = Json.MAPPER.createObjectNode();
      vars.forEach(v -> body.put(v.key(), v.value()));
      JsonNode result = change(this, "Setting", body, preview);
      Map<String, String> shown = new TreeMap<>();
      vars.forEach(v -> shown.put(v.key(), result.path("config").path(v.key()).asText(v.value())));
      Format.keyValues(shown).forEach(context.out()::println);
      return 0;
    }
  }

  @Command(
      name = "config:unset",
      mixinStandardHelpOptions = true,
      description = "Remove config vars, then restart the app with a new release.")
  static final class Unset extends AppCommand {
    @Parameters(arity = "1..*", paramLabel = "KEY", description = "Names of the vars to remove.")
    List<String> keys;

    @Option(names = "--preview", paramLabel = "BRANCH",
        description = "Remove them from this branch preview's own vars, and restart the preview.")
    String preview;

    Unset(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      keys.forEach(ConfigVar::checkKey);
      ObjectNode body = Json.MAPPER.createObjectNode();
      keys.forEach(body::putNull);
      change(this, "Unsetting", body, preview);
      return 0;
    }
  }

  @Command(name = "config:get", mixinStandardHelpOptions = true,
      description = "Print the value of one config var (an empty line when it is not set).")
  static final class Get extends AppCommand {
    @Parameters(paramLabel = "KEY", description = "Name of the var.")
    String key;

    Get(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      ConfigVar.checkKey(key);
      JsonNode config = context.api().get(appPath() + "/config");
      context.out().println(config.path(key).asText(""));
      return 0;
    }
  }

  /** PATCHes the config and prints "VERB K1, K2 and restarting APP... done, vN". */
  private static JsonNode change(AppCommand command, String verb, ObjectNode body, String preview) {
    CliContext context = command.context;
    String name = preview == null ? command.appName() : "the preview of " + preview;
    String path = preview == null ? "/apps/" + name + "/config" : PreviewsCommands.path(command, preview) + "/config";
    ApiClient api = context.api();
    List<String> keys = new ArrayList<>();
    body.fieldNames().forEachRemaining(keys::add);
    PrintStream out = context.out();
    out.print(verb + " " + Format.list(keys) + " and restarting " + name + "... ");
    out.flush();
    JsonNode result;
    try {
      result = api.patch(path, body);
    } catch (CliException e) {
      out.println("!");
      throw e;
    }
    JsonNode release = result.path("release");
    List<String> notSet = new ArrayList<>();
    result.path("not_set").forEach(key -> notSet.add(key.asText()));
    String note = notSet.isEmpty() ? "" : Format.list(notSet) + (notSet.size() == 1 ? " is" : " are") + " not set";
    if (!notSet.isEmpty() && notSet.size() == keys.size()) {
      out.println(note + ", nothing changed");
    } else {
      out.println((release.isNumber() ? "done, v" + release.asInt() : "done") + (note.isEmpty() ? "" : " (" + note + ")"));
    }
    return result;
  }

  private static Map<String, String> sorted(JsonNode config) {
    Map<String, String> vars = new TreeMap<>();
    config.properties().forEach(e -> vars.put(e.getKey(), e.getValue().asText()));
    return vars;
  }
}
