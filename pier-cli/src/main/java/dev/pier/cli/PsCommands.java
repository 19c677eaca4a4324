package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/** The {@code ps} topic: list, scale and restart an app's process instances ("dynos"). */
final class PsCommands {
  private PsCommands() {}

  @Command(name = "ps", mixinStandardHelpOptions = true, description = "List an app's process instances.")
  static final class ListInstances extends AppCommand {
    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    ListInstances(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode node = context.api().get(appPath() + "/ps");
      PrintStream out = context.out();
      if (json) {
        out.println(Json.pretty(node));
        return 0;
      }
      Instance[] instances = Json.convert(node, Instance[].class);
      if (instances.length == 0) {
        out.println("No dynos on " + appName());
        return 0;
      }
      // Where more than one version runs the formation, each version's instances are a group of
      // their own (web.1@v3) so a header's count is that version's and names address one instance.
      java.util.Set<String> versions = new java.util.TreeSet<>();
      for (Instance instance : instances) {
        if (!instance.isOneOff() && instance.versionLabel() != null) versions.add(instance.versionLabel());
      }
      boolean perVersion = versions.size() > 1;
      Map<String, List<Instance>> byType = new LinkedHashMap<>();
      for (Instance instance : instances) {
        String key = perVersion && !instance.isOneOff() ? instance.type() + "@" + instance.versionLabel() : instance.type();
        byType.computeIfAbsent(key, t -> new ArrayList<>()).add(instance);
      }
      // The formation first (per type, newest version first), then one-off processes.
      Map<String, List<Instance>> formationFirst = new LinkedHashMap<>();
      List<Map.Entry<String, List<Instance>>> formation = new ArrayList<>();
      byType.entrySet().forEach(e -> { if (!e.getValue().get(0).isOneOff()) formation.add(e); });
      List<String> typeOrder = formation.stream().map(e -> e.getValue().get(0).type()).distinct().toList();
      formation.sort(java.util.Comparator
          .comparing((Map.Entry<String, List<Instance>> e) -> typeOrder.indexOf(e.getValue().get(0).type()))
          .thenComparing(e -> -releaseOf(e.getValue().get(0))));
      formation.forEach(e -> formationFirst.put(e.getKey(), e.getValue()));
      byType.forEach((type, members) -> { if (members.get(0).isOneOff()) formationFirst.put(type, members); });
      byType = formationFirst;
      Map<String, String> sizes = sizes();
      Map<String, Integer> shares = perVersion ? shares() : Map.of();
      Instant now = context.clock().instant();
      boolean first = true;
      for (Map.Entry<String, List<Instance>> group : byType.entrySet()) {
        if (!first) {
          out.println();
        }
        first = false;
        List<Instance> members = group.getValue();
        if (members.get(0).isOneOff()) {
          // One-off processes run commands of their own: each line names its command, as on Heroku.
          out.println(Format.header(group.getKey() + ": one-off processes (" + members.size() + ")"));
          members.forEach(instance -> out.println(line(instance, now) + ": " + instance.command()));
          continue;
        }
        String type = members.get(0).type();
        String size = sizes.get(type);
        String version = "";
        if (perVersion) {
          String label = members.get(0).versionLabel();
          Integer share = shares.get(label);
          version = " " + label + (share == null ? "" : " (" + share + "% of traffic)");
        }
        out.println(Format.header(type + " (" + members.size() + (size == null ? "" : ", " + size) + ")" + version
            + ": " + members.get(0).command()));
        members.forEach(instance -> out.println(line(instance, now, perVersion)));
      }
      return 0;
    }

    private static int releaseOf(Instance instance) {
      String label = instance.versionLabel();
      return label != null && label.matches("v[0-9]{1,9}") ? Integer.parseInt(label.substring(1)) : 0;
    }

    /**
     * Returns each running version's share of the traffic ({@code v3 -> 90}); empty when the
     * server cannot say: the headers then name none.
     */
    private Map<String, Integer> shares() {
      Map<String, Integer> shares = new LinkedHashMap<>();
      try {
        context.api().get(appPath() + "/versions").path("versions").forEach(v -> {
          if (v.hasNonNull("version") && v.hasNonNull("percent")) {
            shares.put("v" + v.get("version").asInt(), v.get("percent").asInt());
          }
        });
      } catch (CliException e) {
        shares.clear();
      }
      return shares;
    }

    /**
     * Returns each process type's size name ({@code "basic"}), leaving out types of the default
     * size; empty when the server cannot say (an older one): the header then names none.
     */
    private Map<String, String> sizes() {
      Map<String, String> sizes = new LinkedHashMap<>();
      JsonNode node;
      try {
        node = context.api().get(appPath() + "/formation/sizes");
      } catch (CliException e) {
        return sizes;
      }
      node.properties().forEach(type -> {
        String size = type.getValue().path("size").asText("");
        if (!size.isEmpty() && !size.equals("default")) {
          sizes.put(type.getKey(), size);
        }
      });
      return sizes;
    }

    /**
     * Returns {@code "web.1: up 2026/11/27 05:31:00 (~ 42s ago) v3, booted in 312 ms, 112 MB /
     * 256 MB"}, or for one that is not running {@code "web.1: crashed, restarting in 40 s (exited
     * with code 1) ..."} followed by the last lines of its output, indented.
     */
    static String line(Instance instance, Instant now) {
      return line(instance, now, false);
    }

    /** As {@link #line(Instance, Instant)}, the name qualified ({@code web.1@v3}) when {@code qualified}. */
    static String line(Instance instance, Instant now, boolean qualified) {
      String name = qualified && instance.versionLabel() != null
          ? instance.name() + "@" + instance.versionLabel() : instance.name();
      StringBuilder line = new StringBuilder(name).append(": ").append(instance.state());
      if (instance.restartInSeconds() != null) {
        line.append(", restarting in ").append(instance.restartInSeconds()).append(" s");
      }
      String reason = instance.reasonWords();
      if (reason != null) {
        line.append(" (").append(reason).append(')');
      }
      if (instance.startedAt() != null) {
        Duration age = instance.uptimeSeconds() != null
            ? Duration.ofSeconds(instance.uptimeSeconds())
            : Duration.between(instance.startedAt(), now);
        line.append(' ').append(Format.timeAgo(instance.startedAt(), age));
      }
      if (instance.versionLabel() != null) {
        line.append(' ').append(instance.versionLabel());
      }
      if (instance.restarts() != null && instance.restarts() > 0) {
        line.append(", restarted ").append(instance.restarts()).append(instance.restarts() == 1 ? " time" : " times");
      }
      for (String detail : new String[] {instance.bootWords(), instance.memoryWords()}) {
        if (detail != null) {
          line.append(", ").append(detail);
        }
      }
      if (instance.lastOutput() != null) {
        instance.lastOutput().forEach(output -> line.append("\n    ").append(output));
      }
      return line.toString();
    }
  }

  @Command(
      name = "ps:stop",
      mixinStandardHelpOptions = true,
      description = {"Stop a one-off process (run.N) or a scheduled run: SIGTERM, then SIGKILL after the grace period.",
          "Instances of the formation are scaled with ps:scale or restarted with ps:restart."})
  static final class Stop extends AppCommand {
    @Parameters(index = "0", paramLabel = "INSTANCE", description = "For example run.1.")
    String instance;

    Stop(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      ObjectNode body = Json.MAPPER.createObjectNode().put("instance", instance);
      PrintStream out = context.out();
      out.print("Stopping " + instance + " on " + appName() + "... ");
      out.flush();
      context.api().post(appPath() + "/ps/stop", body);
      out.println("done");
      return 0;
    }
  }

  @Command(
      name = "ps:scale",
      mixinStandardHelpOptions = true,
      description = {"Set how many instances of each process type run.",
          "Without arguments, shows the current formation."})
  static final class Scale extends AppCommand {
    @Parameters(arity = "0..*", paramLabel = "TYPE=COUNT", description = "For example web=2 worker=1.")
    List<String> changes = List.of();

    Scale(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      List<ScaleArgument> wanted = changes.stream().map(ScaleArgument::parse).toList();
      String path = appPath() + "/formation";
      ApiClient api = context.api();
      PrintStream out = context.out();
      if (wanted.isEmpty()) {
        List<String> current = new ArrayList<>();
        api.get(path).properties().forEach(e -> current.add(e.getKey() + "=" + e.getValue().asText()));
        out.println(String.join(" ", current));
        return 0;
      }
      ObjectNode body = Json.MAPPER.createObjectNode();
      wanted.forEach(w -> body.put(w.type(), w.count()));
      out.print("Scaling dynos... ");
      out.flush();
      JsonNode formation;
      try {
        formation = api.patch(path, body);
      } catch (CliException e) {
        out.println("!");
        throw e;
      }
      List<String> running = new ArrayList<>();
      body.fieldNames().forEachRemaining(
          type -> running.add(type + " at " + formation.path(type).asText(body.get(type).asText())));
      out.println("done, now running " + Format.list(running));
      return 0;
    }
  }

  @Command(
      name = "ps:restart",
      mixinStandardHelpOptions = true,
      description = {"Restart all instances, those of one process type (web) or one instance (web.1).",
          "While several versions run (traffic split, versions:start), a type means its instances in every",
          "version; web@v3 or web.1@v3 narrows it to one version. A bare instance name that runs in more",
          "than one version is refused: ps names each one as web.1@v3."})
  static final class Restart extends AppCommand {
    @Parameters(arity = "0..1", paramLabel = "TYPE|INSTANCE",
        description = "For example web, web.1, web@v3 or web.1@v3.")
    String target;

    Restart(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      String name = appName();
      ObjectNode body = Json.MAPPER.createObjectNode();
      String what;
      if (target == null) {
        what = "all dynos";
      } else if (target.contains(".")) {
        body.put("instance", target);
        what = "dyno " + target;
      } else {
        body.put("type", target);
        what = target + " dynos";
      }
      PrintStream out = context.out();
      ApiClient api = context.api();
      out.print("Restarting " + what + " on " + name + "... ");
      out.flush();
      JsonNode result;
      try {
        result = api.post("/apps/" + name + "/ps/restart", body);
      } catch (CliException e) {
        out.println("!");
        throw e;
      }
      List<String> restarted = new ArrayList<>();
      result.path("restarted").forEach(n -> restarted.add(n.asText()));
      out.println(restarted.isEmpty() ? "done (nothing was running)" : "done: " + Format.list(restarted));
      return 0;
    }
  }
}
