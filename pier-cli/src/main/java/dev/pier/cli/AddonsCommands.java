package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code addons}, {@code addons:create}, {@code addons:info}, {@code addons:attach}, {@code
 * addons:detach}, {@code addons:destroy}, {@code addons:plans}: data stores (PostgreSQL, Redis,
 * memcached, RabbitMQ) Pier runs for apps.
 */
final class AddonsCommands {
  private AddonsCommands() {}

  private static String path(String name) {
    return "/addons/" + name;
  }

  /** {@code DATABASE_URL, PIER_POSTGRES_AMBER_URL} for the attachment of {@code addon} to {@code app}. */
  private static String vars(JsonNode addon, String app) {
    for (JsonNode at : addon.path("attachments")) {
      if (!at.path("app").asText().equals(app)) continue;
      var names = new ArrayList<String>();
      at.path("config_vars").forEach(v -> names.add(v.asText()));
      return String.join(", ", names);
    }
    return "";
  }

  @Command(
      name = "addons",
      mixinStandardHelpOptions = true,
      description = {"List the app's add-ons with their plan, state and config vars.",
          "With --all, list every add-on of this Pier server and the apps it is attached to."})
  static final class ListAddons extends AppCommand {
    @Option(names = "--all", description = "List every add-on, not only the app's.")
    boolean all;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    ListAddons(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode addons = context.api().get(all ? "/addons" : appPath() + "/addons");
      if (json) {
        context.out().println(Json.pretty(addons));
        return 0;
      }
      if (addons.isEmpty()) {
        context.out().println(all ? "No add-ons." : appName() + " has no add-ons. Create one with: pier addons:create postgres -a " + appName());
        return 0;
      }
      Table table = new Table(false, false, false, false);
      table.row("Add-on", "Plan", "State", all ? "Apps" : "Config vars");
      for (JsonNode a : addons) {
        String last;
        if (all) {
          var apps = new ArrayList<String>();
          a.path("attachments").forEach(at -> apps.add(at.path("app").asText()));
          last = String.join(", ", apps);
        } else {
          last = vars(a, appName());
        }
        table.row(a.path("name").asText(), a.path("kind").asText() + ":" + a.path("plan").asText(),
            a.path("state").asText(), last);
      }
      table.lines().forEach(context.out()::println);
      return 0;
    }
  }

  @Command(
      name = "addons:create",
      mixinStandardHelpOptions = true,
      description = {"Create an add-on (postgres, redis, memcached or rabbitmq) and attach it to the app.",
          "The app gets its config vars (DATABASE_URL, REDIS_URL, ...) in a new release, rolled out without downtime."})
  static final class Create extends AppCommand {
    @Parameters(index = "0", paramLabel = "KIND", description = "postgres, redis, memcached or rabbitmq.")
    String kind;

    @Option(names = "--plan", paramLabel = "PLAN", description = "small, medium or large (see addons:plans; default: the smallest).")
    String plan;

    @Option(names = "--as", paramLabel = "NAME", description = "The add-on's name (default: KIND-COLOR-NUMBER).")
    String as;

    Create(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      ObjectNode body = Json.MAPPER.createObjectNode().put("kind", kind);
      if (plan != null) body.put("plan", plan);
      if (as != null) body.put("name", as);
      context.err().print("Creating " + kind + (plan == null ? "" : ":" + plan) + " on " + appName() + "... ");
      context.err().flush();
      JsonNode created;
      try {
        created = context.api().post(appPath() + "/addons", body);
      } catch (RuntimeException e) {
        context.err().println("failed");
        throw e;
      }
      context.err().println("done");
      String name = created.path("name").asText();
      context.out().println("Created " + name + " (" + created.path("kind").asText() + ":" + created.path("plan").asText()
          + ") as " + vars(created, appName()));
      context.out().println("Use pier addons:info " + name + " to see it.");
      return 0;
    }
  }

  @Command(
      name = "addons:info",
      mixinStandardHelpOptions = true,
      description = "Show an add-on: its kind, plan, state, port, the apps it is attached to and its server's status.")
  static final class Info implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "NAME", description = "The add-on's name.")
    String name;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    Info(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      JsonNode a = context.api().get(path(name));
      if (json) {
        context.out().println(Json.pretty(a));
        return 0;
      }
      JsonNode s = a.path("status");
      context.out().println("=== " + a.path("name").asText());
      Table table = new Table(false, false);
      table.row("Kind:", a.path("kind").asText());
      table.row("Plan:", a.path("plan").asText());
      table.row("State:", a.path("state").asText());
      table.row("App:", a.path("owner_app").asText());
      table.row("Port:", a.path("port").asText());
      table.row("Server:", s.path("state").asText() + (s.path("message").asText().isEmpty() ? "" : " (" + s.path("message").asText() + ")"));
      if (!s.path("version").asText().isEmpty()) table.row("Version:", s.path("version").asText());
      if (s.path("connections").asInt(-1) >= 0) table.row("Connections:", s.path("connections").asText());
      if (s.path("data_bytes").asLong(-1) >= 0) table.row("Data size:", Format.size(s.path("data_bytes").asLong()));
      if (s.path("storage_bytes").asLong(0) > 0) {
        table.row("Storage:", Format.size(s.path("storage_bytes").asLong()) + (s.path("storage_enforced").asBoolean()
            ? " (enforced: writes past it fail with \"no space left on device\")"
            : " (not enforced on this server: no loop disks)"));
      }
      table.row("Created:", a.path("created_at").asText());
      table.lines().forEach(context.out()::println);
      context.out().println();
      context.out().println("=== Attachments");
      Table attachments = new Table(false, false);
      for (JsonNode at : a.path("attachments")) attachments.row(at.path("app").asText(), vars(a, at.path("app").asText()));
      attachments.lines().forEach(context.out()::println);
      return 0;
    }
  }

  @Command(
      name = "addons:attach",
      mixinStandardHelpOptions = true,
      description = {"Attach an existing add-on to the app too, sharing its data with the apps it is attached to.",
          "The app gets its config vars in a new release, and its processes may connect to it from now on."})
  static final class Attach extends AppCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The add-on's name.")
    String name;

    Attach(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode a = context.api().post(path(name) + "/attachments", Json.MAPPER.createObjectNode().put("app", appName()));
      context.out().println("Attaching " + name + " to " + appName() + "... done, as " + vars(a, appName()));
      return 0;
    }
  }

  @Command(
      name = "addons:detach",
      mixinStandardHelpOptions = true,
      description = {"Detach an add-on from the app: its config vars are removed in a new release, then the app can no longer connect to it.",
          "The add-on and its data stay for the other apps it is attached to."})
  static final class Detach extends AppCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The add-on's name.")
    String name;

    Detach(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      context.api().delete(path(name) + "/attachments/" + appName());
      context.out().println("Detaching " + name + " from " + appName() + "... done");
      return 0;
    }
  }

  @Command(
      name = "addons:destroy",
      mixinStandardHelpOptions = true,
      description = {"Destroy an add-on: its server and all its data are deleted, and its apps lose its config vars.",
          "Confirm with --confirm and the name of the add-on's app; an add-on other apps use too also needs --force."})
  static final class Destroy implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "NAME", description = "The add-on's name.")
    String name;

    @Option(names = "--confirm", paramLabel = "APP", required = true, description = "The name of the add-on's app, to confirm.")
    String confirm;

    @Option(names = "--force", description = "Destroy it even when other apps are attached to it.")
    boolean force;

    Destroy(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      context.api().delete(path(name) + new QueryString().add("confirm", confirm).add("force", force ? "true" : null));
      context.out().println("Destroying " + name + "... done");
      return 0;
    }
  }

  @Command(
      name = "addons:rotate",
      mixinStandardHelpOptions = true,
      description = {"Give an add-on a new password.",
          "Every app it is attached to gets the new config vars in a new release, rolled out without dropping requests."})
  static final class Rotate implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "NAME", description = "The add-on's name.")
    String name;

    Rotate(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      JsonNode a = context.api().post(path(name) + "/rotate", Json.MAPPER.createObjectNode());
      var apps = new ArrayList<String>();
      a.path("attachments").forEach(at -> apps.add(at.path("app").asText()));
      context.out().println("Rotating the credentials of " + name + "... done; restarted " + String.join(", ", apps));
      return 0;
    }
  }

  @Command(
      name = "addons:plans",
      mixinStandardHelpOptions = true,
      description = "List the add-on kinds this Pier server offers and their plans (memory, connections, storage).")
  static final class Plans implements Callable<Integer> {
    private final CliContext context;

    Plans(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      JsonNode all = context.api().get("/addon-plans");
      Table table = new Table(false, false, true, true, true);
      table.row("Kind", "Plan", "Memory", "Connections", "Storage");
      all.fields().forEachRemaining(e -> {
        for (JsonNode p : e.getValue()) {
          long storage = p.path("storage_bytes").asLong();
          table.row(e.getKey(), p.path("name").asText(), Format.size(p.path("memory_bytes").asLong()),
              p.path("max_connections").asText(), storage == 0 ? "-" : Format.size(storage));
        }
      });
      table.lines().forEach(context.out()::println);
      return 0;
    }
  }
}
