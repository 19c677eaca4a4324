package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code cron} topic: scheduled jobs, as Heroku Scheduler (commands on a UNIX cron schedule,
 * each run a one-off instance {@code scheduler.N}) and App Engine {@code cron.yaml} (URL jobs,
 * shown here, changed by pushing the file).
 */
final class CronCommands {
  private CronCommands() {}

  @Command(name = "cron", mixinStandardHelpOptions = true,
      description = {"List an app's scheduled jobs: id, schedule, what runs, next run and last run.",
          "Command jobs come from `pier cron:add`, URL jobs from the app's cron.yaml."})
  static final class ListJobs extends AppCommand {
    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    ListJobs(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode jobs = context.api().get(appPath() + "/cron");
      PrintStream out = context.out();
      if (json) {
        out.println(Json.pretty(jobs));
        return 0;
      }
      if (jobs.isEmpty()) {
        out.println(appName() + " has no scheduled jobs. Add one with `pier cron:add \"*/10 * * * *\" \"COMMAND\" -a "
            + appName() + "` or a cron.yaml.");
        return 0;
      }
      out.println(Format.header(appName() + " scheduled jobs"));
      Table table = new Table(true, false, false, false, false);
      table.row("ID", "SCHEDULE", "RUNS", "NEXT RUN (UTC)", "LAST RUN");
      for (JsonNode job : jobs) {
        String schedule = job.path("schedule").asText() + ("UTC".equals(job.path("timezone").asText())
            ? "" : " (" + job.path("timezone").asText() + ")");
        String runs = job.path("kind").asText().equals("url")
            ? "GET " + job.path("url").asText() + (job.hasNonNull("target") ? " @" + job.path("target").asText() : "")
            : job.path("command").asText();
        if (job.path("allow_overlap").asBoolean()) runs += " [overlap allowed]";
        table.row(job.path("id").asText(), schedule, runs, time(job.path("next_run_at")), lastRun(job));
      }
      table.lines().forEach(out::println);
      return 0;
    }

    private static String lastRun(JsonNode job) {
      if (job.path("running").asBoolean()) return "running";
      JsonNode last = job.path("last_run");
      if (last.isMissingNode() || last.isNull()) return "never";
      return summary(last) + " at " + time(last.path("started_at"));
    }
  }

  @Command(name = "cron:add", mixinStandardHelpOptions = true,
      description = {"Run COMMAND on SCHEDULE, a UNIX cron expression such as \"*/10 * * * *\".",
          "The five fields are minute hour day-of-month month day-of-week; each run is a one-off instance of the app's current release named scheduler.N.",
          "A run is not started while the previous one still runs (a skipped run is recorded) unless --allow-overlap.",
          "A run missed while Pier was down runs once when it starts again, unless --no-catch-up."})
  static final class Add extends AppCommand {
    @Parameters(index = "0", paramLabel = "SCHEDULE", description = "Such as \"*/10 * * * *\" (every 10 minutes) or \"30 2 * * 1-5\".")
    String schedule;

    @Parameters(index = "1", paramLabel = "COMMAND", description = "The command line, run with /bin/sh -c in /app.")
    String command;

    @Option(names = "--timezone", paramLabel = "ZONE", description = "Time zone of the schedule, such as Europe/Paris (default: UTC).")
    String timezone;

    @Option(names = "--allow-overlap", description = "Start runs even while the previous one still runs.")
    boolean allowOverlap;

    @Option(names = "--no-catch-up", description = "Skip, rather than run once, what was missed while Pier was down.")
    boolean noCatchUp;

    @Option(names = "--time-limit", paramLabel = "DURATION", description = "Stop a run after this long (default 1h, at most 24h), such as 90s, 10m or 2h.")
    String timeLimit;

    Add(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      ObjectNode body = Json.MAPPER.createObjectNode().put("schedule", schedule).put("command", command)
          .put("allow_overlap", allowOverlap).put("catch_up", !noCatchUp);
      if (timezone != null) body.put("timezone", timezone);
      if (timeLimit != null) body.put("time_limit_seconds", DurationArgument.seconds("--time-limit", timeLimit));
      JsonNode job = context.api().post(appPath() + "/cron", body);
      context.out().println("Added job " + job.path("id").asText() + " to " + appName() + ": `" + command + "` at "
          + job.path("schedule").asText() + " (" + job.path("timezone").asText() + "), next run "
          + time(job.path("next_run_at")) + " UTC");
      return 0;
    }
  }

  @Command(name = "cron:remove", mixinStandardHelpOptions = true,
      description = "Remove a command job and its history (a run under way goes on). URL jobs are removed from cron.yaml.")
  static final class Remove extends AppCommand {
    @Parameters(paramLabel = "ID", description = "The job's id, as `pier cron` shows it.")
    String id;

    Remove(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      context.api().delete(appPath() + "/cron/" + jobId(id));
      context.out().println("Removed job " + id + " from " + appName());
      return 0;
    }
  }

  @Command(name = "cron:run", mixinStandardHelpOptions = true,
      description = "Run a job now, outside its schedule; skipped while its previous run still runs (unless it allows overlap).")
  static final class RunNow extends AppCommand {
    @Parameters(paramLabel = "ID", description = "The job's id, as `pier cron` shows it.")
    String id;

    RunNow(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      JsonNode run = context.api().post(appPath() + "/cron/" + jobId(id) + "/run", Json.MAPPER.createObjectNode());
      PrintStream out = context.out();
      if (run.path("status").asText().equals("skipped")) {
        out.println("Job " + id + " skipped: " + run.path("message").asText());
        return 1;
      }
      out.println("Started run " + run.path("id").asText() + " of job " + id
          + (run.hasNonNull("instance") ? " as " + run.path("instance").asText() : ""));
      out.println("See it with `pier cron:runs " + id + " -a " + appName() + "` and `" + run.path("logs").asText() + "`");
      return 0;
    }
  }

  @Command(name = "cron:runs", mixinStandardHelpOptions = true,
      description = {"Show the history of an app's scheduled runs (of job ID when given), newest first.",
          "Each run shows its start, duration, result (exit code or HTTP status) and how to see each run's logs. The last 100 runs of each job are kept."})
  static final class Runs extends AppCommand {
    @Parameters(paramLabel = "ID", arity = "0..1", description = "Only this job's runs.")
    String id;

    @Option(names = {"-n", "--num"}, paramLabel = "N", defaultValue = "20", description = "How many runs to show (default 20).")
    int num;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    Runs(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      if (num < 1 || num > 1000) throw new CliException("--num must be 1 to 1000");
      String path = appPath() + "/cron" + (id == null ? "" : "/" + jobId(id)) + "/runs?limit=" + num;
      JsonNode runs = context.api().get(path);
      PrintStream out = context.out();
      if (json) {
        out.println(Json.pretty(runs));
        return 0;
      }
      if (runs.isEmpty()) {
        out.println("No runs yet" + (id == null ? " for " + appName() : " of job " + id) + ".");
        return 0;
      }
      Table table = new Table(true, true, false, false, true, false, false);
      table.row("RUN", "JOB", "STARTED (UTC)", "TRIGGER", "DURATION", "RESULT", "LOGS");
      for (JsonNode run : runs) {
        table.row(run.path("id").asText(), run.path("job_id").asText(), time(run.path("started_at")),
            run.path("trigger").asText(), duration(run.path("duration_ms")), summary(run), run.path("logs").asText());
      }
      table.lines().forEach(out::println);
      return 0;
    }
  }

  /** A run's result in a few words: {@code succeeded (exit 0)}, {@code failed: exited with code 2}. */
  static String summary(JsonNode run) {
    String status = run.path("status").asText();
    StringBuilder s = new StringBuilder(status);
    if (run.hasNonNull("exit_code")) s.append(" (exit ").append(run.get("exit_code").asInt()).append(")");
    else if (run.hasNonNull("http_status")) s.append(" (HTTP ").append(run.get("http_status").asInt()).append(")");
    if (!status.equals("succeeded") && !status.equals("running") && run.hasNonNull("message")) {
      s.append(": ").append(run.get("message").asText());
    }
    return s.toString();
  }

  private static String time(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) return "-";
    try {
      return Format.time(Instant.parse(value.asText()));
    } catch (RuntimeException e) {
      return value.asText();
    }
  }

  private static String duration(JsonNode ms) {
    if (ms.isNull() || ms.isMissingNode()) return "-";
    long millis = ms.asLong();
    return millis < 60_000 ? String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0) : Format.age(Duration.ofMillis(millis));
  }

  private static String jobId(String raw) {
    String id = raw.strip();
    if (!id.matches("\\d{1,9}")) throw new CliException("A job id is a number, as `pier cron` shows it; got '" + raw + "'");
    return id;
  }
}
