package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pg:info}, {@code pg:psql}, {@code pg:backups}, {@code pg:backups:capture}, {@code
 * pg:backups:restore}, {@code pg:backups:schedule}, {@code redis:cli}, {@code redis:info}: the
 * PostgreSQL and Redis add-ons of an app.
 */
final class PgCommands {
  private PgCommands() {}

  /** The app's add-on of {@code kind} named {@code name}, or when null the first attached as the well-known var. */
  static JsonNode addon(AppCommand c, String kind, String name) {
    JsonNode first = null;
    for (JsonNode a : c.context.api().get(c.appPath() + "/addons")) {
      if (!a.path("kind").asText().equals(kind)) continue;
      if (name != null && a.path("name").asText().equals(name)) return a;
      if (name == null && first == null) first = a;
      if (name == null && alias(a, c.appName()).matches("DATABASE|REDIS")) return a;
    }
    if (name != null) throw new CliException(c.appName() + " has no " + kind + " add-on named " + name);
    if (first == null) {
      throw new CliException(c.appName() + " has no " + kind + " add-on. Create one with: pier addons:create " + kind
          + " -a " + c.appName());
    }
    return first;
  }

  private static String alias(JsonNode addon, String app) {
    for (JsonNode at : addon.path("attachments")) if (at.path("app").asText().equals(app)) return at.path("alias").asText();
    return "";
  }

  /** The URL var of {@code addon} on {@code app} ({@code DATABASE_URL}). */
  /**
   * The shell command that runs psql on the URL in config var {@code var}: its parts go to psql in
   * PG* environment variables, split by the shell's own expansions (no process of its own), so
   * the password is never in an argument list that {@code ps} shows.
   */
  static String psqlCommand(String var, String sql) {
    return "u=${" + var + "#*://}; c=${u%@*}; h=${u##*@}; hp=${h%%/*}; "
        + "export PGUSER=\"${c%%:*}\" PGPASSWORD=\"${c#*:}\" PGHOST=\"${hp%:*}\" PGPORT=\"${hp##*:}\" "
        + "PGDATABASE=\"${h#*/}\"; exec psql" + (sql == null ? "" : " -c " + RunCommands.OneOffCommand.quoted(sql));
  }

  /** redis-cli on the URL in {@code var} ({@code redis://:PASSWORD@HOST:PORT}), the password in REDISCLI_AUTH. */
  static String redisCliCommand(String var) {
    return "u=${" + var + "#*://}; c=${u%@*}; hp=${u##*@}; hp=${hp%%/*}; "
        + "export REDISCLI_AUTH=\"${c#*:}\"; exec redis-cli -h \"${hp%:*}\" -p \"${hp##*:}\"";
  }

  static String urlVar(JsonNode addon, String app) {
    for (JsonNode at : addon.path("attachments")) {
      if (!at.path("app").asText().equals(app)) continue;
      for (JsonNode v : at.path("config_vars")) if (v.asText().endsWith("_URL")) return v.asText();
    }
    throw new CliException(addon.path("name").asText() + " gives " + app + " no URL");
  }

  /** Runs {@code commandLine} as {@code pier run} does, in a one-off of the app (its uid, its sandbox). */
  static int oneOff(AppCommand c, String commandLine, boolean noTty) throws Exception {
    RunCommands.Run run = new RunCommands.Run(c.context);
    run.app = c.appName();
    run.command = List.of(commandLine);
    run.noTty = noTty;
    return run.call();
  }

  @Command(name = "pg:info", mixinStandardHelpOptions = true,
      description = "Show the app's PostgreSQL add-on: plan, state, version, connections and data size.")
  static final class Info extends AppCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The add-on (default: the app's DATABASE).")
    String name;

    Info(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode a = addon(this, "postgres", name);
      AddonsCommands.Info info = new AddonsCommands.Info(context);
      info.name = a.path("name").asText();
      return info.call();
    }
  }

  @Command(name = "pg:psql", mixinStandardHelpOptions = true,
      description = {"Open psql on the app's PostgreSQL add-on, in a one-off process of the app (as pier run does).",
          "It connects with the app's own config var, through the app's sandbox and network rules."})
  static final class Psql extends AppCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The add-on (default: the app's DATABASE).")
    String name;

    @Option(names = {"-c", "--command"}, paramLabel = "SQL", description = "Run this SQL and exit instead of an interactive session.")
    String sql;

    @Option(names = "--no-tty", description = "Plain pipes even when run on a terminal.")
    boolean noTty;

    Psql(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() throws Exception {
      String var = urlVar(addon(this, "postgres", name), appName());
      return oneOff(this, psqlCommand(var, sql), noTty);
    }
  }

  @Command(name = "redis:cli", mixinStandardHelpOptions = true,
      description = "Open redis-cli on the app's Redis add-on, in a one-off process of the app (as pier run does).")
  static final class RedisCli extends AppCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The add-on (default: the app's REDIS).")
    String name;

    @Option(names = "--no-tty", description = "Plain pipes even when run on a terminal.")
    boolean noTty;

    RedisCli(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() throws Exception {
      return oneOff(this, redisCliCommand(urlVar(addon(this, "redis", name), appName())), noTty);
    }
  }

  @Command(name = "redis:info", mixinStandardHelpOptions = true,
      description = "Show the app's Redis add-on: plan, state, version, connections and memory.")
  static final class RedisInfo extends AppCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The add-on (default: the app's REDIS).")
    String name;

    RedisInfo(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      AddonsCommands.Info info = new AddonsCommands.Info(context);
      info.name = addon(this, "redis", name).path("name").asText();
      return info.call();
    }
  }

  /** A backups command: {@code --addon NAME} or the app's DATABASE. */
  abstract static class BackupsCommand extends AppCommand {
    @Option(names = "--addon", paramLabel = "NAME", description = "The PostgreSQL add-on (default: the app's DATABASE).")
    String addonName;

    BackupsCommand(CliContext context) {
      super(context);
    }

    String path() {
      return "/addons/" + addon(this, "postgres", addonName).path("name").asText();
    }
  }

  @Command(name = "pg:backups", mixinStandardHelpOptions = true,
      description = "List the backups of the app's PostgreSQL add-on, and its daily schedule.")
  static final class Backups extends BackupsCommand {
    Backups(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      String path = path();
      JsonNode all = context.api().get(path + "/backups");
      JsonNode schedule = context.api().get(path + "/backup-schedule");
      context.out().println("=== Backups");
      if (all.isEmpty()) {
        context.out().println("No backups. Capture one with: pier pg:backups:capture -a " + appName());
      } else {
        Table table = new Table(false, false, false, true, false);
        table.row("ID", "Taken", "Status", "Size", "Trigger");
        for (JsonNode b : all) {
          String trigger = b.path("trigger").asText() + (b.path("release").isInt() ? " (v" + b.path("release").asInt() + ")" : "");
          table.row(b.path("id").asText(), b.path("created_at").asText(), b.path("state").asText(),
              Format.size(b.path("size_bytes").asLong()), trigger);
        }
        table.lines().forEach(context.out()::println);
      }
      context.out().println();
      context.out().println("=== Schedule");
      context.out().println((schedule.path("at").isTextual() ? "Daily at " + schedule.path("at").asText() + " UTC" : "No daily backups")
          + "; keeps the last " + schedule.path("keep").asInt());
      return 0;
    }
  }

  @Command(name = "pg:backups:capture", mixinStandardHelpOptions = true,
      description = "Back up the app's PostgreSQL add-on now (pg_dump); the app keeps serving meanwhile.")
  static final class Capture extends BackupsCommand {
    Capture(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode b = context.api().post(path() + "/backups", Json.MAPPER.createObjectNode());
      context.out().println("Captured " + b.path("id").asText() + " of " + b.path("addon").asText() + " ("
          + Format.size(b.path("size_bytes").asLong()) + ")");
      return 0;
    }
  }

  @Command(name = "pg:backups:restore", mixinStandardHelpOptions = true,
      description = {"Replace the data of the app's PostgreSQL add-on with a backup (the newest when no ID is given).",
          "Rows made after the backup are gone; confirm with --confirm and the app's name."})
  static final class Restore extends BackupsCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The backup, e.g. b003 (default: the newest).")
    String id;

    @Option(names = "--confirm", paramLabel = "APP", required = true, description = "The name of the add-on's app, to confirm.")
    String confirm;

    Restore(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      String path = path();
      JsonNode b = context.api().post(path + "/backups/" + (id == null ? "latest" : id) + "/restore"
          + new QueryString().add("confirm", confirm), Json.MAPPER.createObjectNode());
      context.out().println("Restored " + b.path("id").asText() + " to " + b.path("addon").asText());
      return 0;
    }
  }

  @Command(name = "pg:backups:schedule", mixinStandardHelpOptions = true,
      description = {"Back up the app's PostgreSQL add-on every day at a time (UTC), or stop doing so with --off.",
          "--keep sets how many backups are kept (the oldest are deleted)."})
  static final class Schedule extends BackupsCommand {
    @Option(names = "--at", paramLabel = "HH:MM", description = "The time of day, UTC, e.g. 02:00.")
    String at;

    @Option(names = "--off", description = "No more daily backups.")
    boolean off;

    @Option(names = "--keep", paramLabel = "N", description = "Keep the last N backups (1 to 100; default 5).")
    Integer keep;

    Schedule(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      if (at == null && !off && keep == null) throw new CliException("give --at HH:MM, --off or --keep N");
      String path = path();
      JsonNode current = context.api().get(path + "/backup-schedule");
      ObjectNode body = Json.MAPPER.createObjectNode();
      if (off) body.putNull("at");
      else if (at != null) body.put("at", at);
      else body.set("at", current.path("at"));
      if (keep != null) body.put("keep", keep);
      JsonNode s = context.api().put(path + "/backup-schedule", body);
      context.out().println((s.path("at").isTextual() ? "Backing up daily at " + s.path("at").asText() + " UTC" : "No daily backups")
          + "; keeping the last " + s.path("keep").asInt());
      return 0;
    }
  }
}
