package dev.pier.cron;

import dev.pier.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Jobs ({@code cron_jobs}) and their runs ({@code cron_runs}, the newest {@link #KEEP_RUNS} per job). */
public final class CronStore {
  /** How many runs of each job are kept. */
  public static final int KEEP_RUNS = 100;

  private static final String JOB_COLUMNS = "id, app, kind, schedule, syntax, timezone, command, url, description,"
      + " target, retry_limit, retry_age_seconds, min_backoff_ms, max_backoff_ms, max_doublings, allow_overlap,"
      + " catch_up, time_limit_seconds, created_at, next_run_at";
  private static final String RUN_COLUMNS = "id, job_id, app, trigger_by, status, started_at, finished_at,"
      + " exit_code, http_status, attempts, instance, message";

  private final Database db;

  public CronStore(Database db) {
    this.db = db;
  }

  /** Stores a new job (its id is ignored); returns it with its id. */
  public Job insert(Job job) {
    return db.transaction(c -> insert(c, job));
  }

  private static Job insert(Connection c, Job job) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO cron_jobs (" + JOB_COLUMNS.substring(4)
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, job.app());
      ps.setString(2, job.kind().wireName());
      ps.setString(3, job.schedule().text());
      ps.setString(4, job.schedule().syntax());
      ps.setString(5, job.schedule().zone().getId());
      ps.setString(6, job.command());
      ps.setString(7, job.url());
      ps.setString(8, job.description());
      setInt(ps, 9, job.target());
      ps.setInt(10, job.retry().retryLimit());
      if (job.retry().ageLimit() == null) ps.setNull(11, Types.BIGINT);
      else ps.setLong(11, job.retry().ageLimit().toSeconds());
      ps.setLong(12, job.retry().minBackoff().toMillis());
      ps.setLong(13, job.retry().maxBackoff().toMillis());
      ps.setInt(14, job.retry().maxDoublings());
      ps.setBoolean(15, job.allowOverlap());
      ps.setBoolean(16, job.catchUp());
      ps.setLong(17, job.timeLimit().toSeconds());
      ps.setTimestamp(18, Timestamp.from(job.createdAt()));
      ps.setTimestamp(19, ts(job.nextRunAt()));
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return job.withId(keys.getInt(1));
      }
    }
  }

  /** An app's jobs by id. */
  public List<Job> jobs(String app) {
    return db.query(c -> jobs(c, "WHERE app = ? ORDER BY id", app));
  }

  /** Every job whose next run is at or before {@code now}, by next run. */
  public List<Job> due(Instant now) {
    return db.query(c -> jobs(c, "WHERE next_run_at <= ? ORDER BY next_run_at, id", Timestamp.from(now)));
  }

  public Optional<Job> find(String app, int id) {
    return db.query(c -> jobs(c, "WHERE app = ? AND id = ?", app, id)).stream().findFirst();
  }

  /** Deletes a job and its runs; false when the app has no such job. */
  public boolean delete(String app, int id) {
    return db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM cron_jobs WHERE app = ? AND id = ?")) {
        ps.setString(1, app);
        ps.setInt(2, id);
        return ps.executeUpdate() > 0;
      }
    });
  }

  public void setNextRun(int id, Instant next) {
    db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE cron_jobs SET next_run_at = ? WHERE id = ?")) {
        ps.setTimestamp(1, ts(next));
        ps.setInt(2, id);
        return ps.executeUpdate();
      }
    });
  }

  /**
   * Makes the app's URL jobs those of {@code wanted} (from its cron.yaml): a job with the same
   * url, schedule, zone and target as one already stored is kept (with its history and next run,
   * its other settings updated), the others are deleted or added. Command jobs are untouched.
   */
  public List<Job> replaceUrlJobs(String app, List<Job> wanted) {
    return db.transaction(c -> {
      List<Job> existing = new ArrayList<>(jobs(c, "WHERE app = ? AND kind = 'url' ORDER BY id", app));
      List<Job> result = new ArrayList<>();
      for (Job w : wanted) {
        Job same = null;
        for (Job e : existing) {
          if (e.url().equals(w.url()) && e.schedule().text().equals(w.schedule().text())
              && e.schedule().zone().equals(w.schedule().zone()) && Objects.equals(e.target(), w.target())) {
            same = e;
            break;
          }
        }
        if (same != null) {
          existing.remove(same);
          try (PreparedStatement ps = c.prepareStatement("UPDATE cron_jobs SET description = ?, retry_limit = ?,"
              + " retry_age_seconds = ?, min_backoff_ms = ?, max_backoff_ms = ?, max_doublings = ? WHERE id = ?")) {
            ps.setString(1, w.description());
            ps.setInt(2, w.retry().retryLimit());
            if (w.retry().ageLimit() == null) ps.setNull(3, Types.BIGINT);
            else ps.setLong(3, w.retry().ageLimit().toSeconds());
            ps.setLong(4, w.retry().minBackoff().toMillis());
            ps.setLong(5, w.retry().maxBackoff().toMillis());
            ps.setInt(6, w.retry().maxDoublings());
            ps.setInt(7, same.id());
            ps.executeUpdate();
          }
          result.add(w.withId(same.id()).withNextRun(same.nextRunAt()));
        } else {
          result.add(insert(c, w));
        }
      }
      for (Job gone : existing) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM cron_jobs WHERE id = ?")) {
          ps.setInt(1, gone.id());
          ps.executeUpdate();
        }
      }
      return result;
    });
  }

  /** Records the start of a run ({@link Run.Status#RUNNING}), or a skipped one with its reason. */
  public Run startRun(Job job, Run.Trigger trigger, Run.Status status, Instant now, String message) {
    return db.transaction(c -> {
      Instant finished = status == Run.Status.RUNNING ? null : now;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO cron_runs (job_id, app, trigger_by, status,"
          + " started_at, finished_at, message) VALUES (?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
        ps.setInt(1, job.id());
        ps.setString(2, job.app());
        ps.setString(3, trigger.wireName());
        ps.setString(4, status.wireName());
        ps.setTimestamp(5, Timestamp.from(now));
        ps.setTimestamp(6, ts(finished));
        ps.setString(7, clip(message));
        ps.executeUpdate();
        int id;
        try (ResultSet keys = ps.getGeneratedKeys()) {
          keys.next();
          id = keys.getInt(1);
        }
        trim(c, job.id());
        return new Run(id, job.id(), job.app(), trigger, status, now, finished, null, null, 0, null, message);
      }
    });
  }

  /** Names the instance a command run runs as. */
  public void setInstance(int runId, String instance) {
    db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE cron_runs SET instance = ? WHERE id = ?")) {
        ps.setString(1, instance);
        ps.setInt(2, runId);
        return ps.executeUpdate();
      }
    });
  }

  /** Records how a run ended. */
  public void finishRun(int runId, Run.Status status, Integer exitCode, Integer httpStatus, int attempts,
      String message, Instant now) {
    db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE cron_runs SET status = ?, exit_code = ?,"
          + " http_status = ?, attempts = ?, message = ?, finished_at = ? WHERE id = ?")) {
        ps.setString(1, status.wireName());
        setInt(ps, 2, exitCode);
        setInt(ps, 3, httpStatus);
        ps.setInt(4, attempts);
        ps.setString(5, clip(message));
        ps.setTimestamp(6, Timestamp.from(now));
        ps.setInt(7, runId);
        return ps.executeUpdate();
      }
    });
  }

  /** Marks runs a previous server left running as lost (its instances were stopped with it). */
  public int markLost(Instant now) {
    return db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE cron_runs SET status = 'lost', finished_at = ?,"
          + " message = 'Pier stopped during the run' WHERE status = 'running'")) {
        ps.setTimestamp(1, Timestamp.from(now));
        return ps.executeUpdate();
      }
    });
  }

  /** An app's runs, newest first, of one job when {@code jobId} is not null. */
  public List<Run> runs(String app, Integer jobId, int limit) {
    return db.query(c -> {
      String sql = "SELECT " + RUN_COLUMNS + " FROM cron_runs WHERE app = ?"
          + (jobId == null ? "" : " AND job_id = ?") + " ORDER BY id DESC FETCH FIRST " + limit + " ROWS ONLY";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, app);
        if (jobId != null) ps.setInt(2, jobId);
        List<Run> runs = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) runs.add(run(rs));
        }
        return runs;
      }
    });
  }

  /** The newest run of a job. */
  public Optional<Run> lastRun(String app, int jobId) {
    return runs(app, jobId, 1).stream().findFirst();
  }

  private static void trim(Connection c, int jobId) throws SQLException {
    Integer oldestKept = null;
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM cron_runs WHERE job_id = ? ORDER BY id DESC"
        + " OFFSET " + (KEEP_RUNS - 1) + " ROWS FETCH NEXT 1 ROW ONLY")) {
      ps.setInt(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) oldestKept = rs.getInt(1);
      }
    }
    if (oldestKept == null) return;
    try (PreparedStatement ps = c.prepareStatement(
        "DELETE FROM cron_runs WHERE job_id = ? AND id < ? AND status <> 'running'")) { // a run under way stays
      ps.setInt(1, jobId);
      ps.setInt(2, oldestKept);
      ps.executeUpdate();
    }
  }

  private static List<Job> jobs(Connection c, String where, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + JOB_COLUMNS + " FROM cron_jobs " + where)) {
      for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
      List<Job> jobs = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) jobs.add(job(rs));
      }
      return jobs;
    }
  }

  private static Job job(ResultSet rs) throws SQLException {
    Schedule schedule;
    try {
      schedule = Schedule.parse(rs.getString("syntax"), rs.getString("schedule"), Schedule.zone(rs.getString("timezone")));
    } catch (ScheduleException e) {
      throw new IllegalStateException("stored job " + rs.getInt("id") + " has a schedule that no longer parses: " + e.getMessage());
    }
    long age = rs.getLong("retry_age_seconds");
    Duration ageLimit = rs.wasNull() ? null : Duration.ofSeconds(age);
    RetryParameters retry = new RetryParameters(rs.getInt("retry_limit"), ageLimit,
        Duration.ofMillis(rs.getLong("min_backoff_ms")), Duration.ofMillis(rs.getLong("max_backoff_ms")),
        rs.getInt("max_doublings"));
    int target = rs.getInt("target");
    Integer t = rs.wasNull() ? null : target;
    return new Job(rs.getInt("id"), rs.getString("app"), Job.Kind.valueOf(rs.getString("kind").toUpperCase(java.util.Locale.ROOT)),
        schedule, rs.getString("command"), rs.getString("url"), rs.getString("description"), t, retry,
        rs.getBoolean("allow_overlap"), rs.getBoolean("catch_up"), Duration.ofSeconds(rs.getLong("time_limit_seconds")),
        rs.getTimestamp("created_at").toInstant(), instant(rs.getTimestamp("next_run_at")));
  }

  private static Run run(ResultSet rs) throws SQLException {
    int exit = rs.getInt("exit_code");
    Integer exitCode = rs.wasNull() ? null : exit;
    int http = rs.getInt("http_status");
    Integer httpStatus = rs.wasNull() ? null : http;
    return new Run(rs.getInt("id"), rs.getInt("job_id"), rs.getString("app"), Run.Trigger.ofWire(rs.getString("trigger_by")),
        Run.Status.ofWire(rs.getString("status")), rs.getTimestamp("started_at").toInstant(),
        instant(rs.getTimestamp("finished_at")), exitCode, httpStatus, rs.getInt("attempts"),
        rs.getString("instance"), rs.getString("message"));
  }

  private static void setInt(PreparedStatement ps, int i, Integer value) throws SQLException {
    if (value == null) ps.setNull(i, Types.INTEGER);
    else ps.setInt(i, value);
  }

  private static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  private static String clip(String message) {
    return message == null || message.length() <= 2000 ? message : message.substring(0, 1997) + "...";
  }
}
