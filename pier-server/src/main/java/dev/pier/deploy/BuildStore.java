package dev.pier.deploy;

import dev.pier.model.AppName;
import dev.pier.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Persistence of builds and their output (what the pushing client saw), and of the buildpacks an
 * app set for its builds.
 */
public final class BuildStore {
  /**
   * A build: {@code status} is running, succeeded or failed; output is null in listings;
   * {@code buildpack} and {@code language} are null until it succeeded (or for builds before
   * they were recorded). {@code id} is global; {@code number} counts the app's builds from 1.
   */
  public record Build(
      int id, int number, String app, String description, String createdBy, Instant startedAt,
      Instant finishedAt, String status, Integer release, String output, String buildpack,
      String language, String runtime) {
    /** A build without a recorded runtime. */
    public Build(
        int id, int number, String app, String description, String createdBy, Instant startedAt,
        Instant finishedAt, String status, Integer release, String output, String buildpack,
        String language) {
      this(id, number, app, description, createdBy, startedAt, finishedAt, status, release, output,
          buildpack, language, null);
    }
  }

  private static final String COLUMNS =
      "id, app, description, created_by, started_at, finished_at, status, release, %s, buildpack, language, number, runtime";

  private final Database db;

  public BuildStore(Database db) {
    this.db = db;
  }

  /** A started build: its global id and its number among the app's builds. */
  public record Started(int id, int number) {}

  /**
   * Records a running build and gives it the app's next build number. Concurrent starts for one
   * app (a build starts before the deploy takes the app's lock) cannot share a number: the
   * unique (app, number) index rejects the second, which then takes the next number.
   */
  public Started start(AppName app, String description, String user, Instant now) {
    for (int attempt = 1; ; attempt++) {
      try {
        return db.transaction(c -> {
          try (PreparedStatement ps = c.prepareStatement(
              "INSERT INTO builds (app, number, description, created_by, started_at, status)"
                  + " SELECT ?, COALESCE(MAX(number), 0) + 1, ?, ?, ?, 'running' FROM builds WHERE app = ?",
              Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, app.value());
            ps.setString(2, description);
            ps.setString(3, user);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setString(5, app.value());
            ps.executeUpdate();
            int id;
            try (ResultSet keys = ps.getGeneratedKeys()) {
              keys.next();
              id = keys.getInt(1);
            }
            try (PreparedStatement q = c.prepareStatement("SELECT number FROM builds WHERE id = ?")) {
              q.setInt(1, id);
              try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return new Started(id, rs.getInt(1));
              }
            }
          }
        });
      } catch (RuntimeException e) {
        if (attempt >= 100 || !duplicate(e)) throw e;
      }
    }
  }

  private static boolean duplicate(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLIntegrityConstraintViolationException) return true;
      // 23505 duplicate key; 90131 concurrent update of the same row (H2 MVStore)
      if (t instanceof SQLException sql && ("23505".equals(sql.getSQLState()) || "90131".equals(sql.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  public void finish(int id, String status, Integer release, String output, Instant now) {
    finish(id, status, release, output, now, null, null);
  }

  /** Ends a build, recording the buildpack(s) that built it and the language detected (null: unknown). */
  public void finish(int id, String status, Integer release, String output, Instant now,
      String buildpack, String language) {
    finish(id, status, release, output, now, buildpack, language, null);
  }

  /** Ends a build, recording also the runtime it used ({@code Node.js 22.12.0}; null: none said). */
  public void finish(int id, String status, Integer release, String output, Instant now,
      String buildpack, String language, String runtime) {
    db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE builds SET status = ?, release = ?, output = ?, finished_at = ?, buildpack = ?,"
              + " language = ?, runtime = ? WHERE id = ?")) {
        ps.setString(1, status);
        if (release == null) ps.setNull(2, java.sql.Types.INTEGER); else ps.setInt(2, release);
        ps.setString(3, output);
        ps.setTimestamp(4, Timestamp.from(now));
        ps.setString(5, buildpack);
        ps.setString(6, language);
        ps.setString(7, runtime);
        ps.setInt(8, id);
        return ps.executeUpdate();
      }
    });
  }

  /** The succeeded build that made release {@code release} of the app, if a build made it. */
  public Optional<Build> forRelease(AppName app, int release) {
    return db.query(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + COLUMNS.formatted("NULL") + " FROM builds WHERE app = ? AND release = ?"
              + " ORDER BY id DESC LIMIT 1")) {
        ps.setString(1, app.value());
        ps.setInt(2, release);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
      }
    });
  }

  /** The buildpacks the app set, in the order they run; empty: detected at each build. */
  public List<String> buildpacks(AppName app) {
    return db.query(c -> {
      List<String> sources = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT source FROM app_buildpacks WHERE app = ? ORDER BY position")) {
        ps.setString(1, app.value());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) sources.add(rs.getString(1));
        }
      }
      return sources;
    });
  }

  /** Replaces the app's buildpacks with {@code sources} (empty: detect again), in one transaction. */
  public void setBuildpacks(AppName app, List<String> sources) {
    db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM app_buildpacks WHERE app = ?")) {
        ps.setString(1, app.value());
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO app_buildpacks (app, position, source) VALUES (?, ?, ?)")) {
        for (int i = 0; i < sources.size(); i++) {
          ps.setString(1, app.value());
          ps.setInt(2, i + 1);
          ps.setString(3, sources.get(i));
          ps.addBatch();
        }
        if (!sources.isEmpty()) ps.executeBatch();
      }
      return null;
    });
  }

  /**
   * Marks every build still "running" as failed, with {@code note} appended to its output: at
   * start no build can be running, so these were interrupted by a crash. Returns them.
   */
  public List<Build> failRunning(String note, Instant now) {
    return db.transaction(c -> {
      List<Build> running = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + COLUMNS.formatted("NULL") + " FROM builds WHERE status = 'running' ORDER BY id")) {
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) running.add(read(rs));
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE builds SET status = 'failed', finished_at = ?, output = COALESCE(output, '') || ?"
              + " WHERE status = 'running'")) {
        ps.setTimestamp(1, Timestamp.from(now));
        ps.setString(2, note + "\n");
        ps.executeUpdate();
      }
      return running;
    });
  }

  /** The app's builds, newest first, without their output. */
  public List<Build> list(AppName app, int limit) {
    return db.query(c -> {
      List<Build> builds = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + COLUMNS.formatted("NULL") + " FROM builds WHERE app = ? ORDER BY id DESC LIMIT ?")) {
        ps.setString(1, app.value());
        ps.setInt(2, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) builds.add(read(rs));
        }
      }
      return builds;
    });
  }

  /** The app's build with per-app number {@code number}, with its output. */
  public Optional<Build> find(AppName app, int number) {
    return db.query(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + COLUMNS.formatted("output") + " FROM builds WHERE app = ? AND number = ?")) {
        ps.setString(1, app.value());
        ps.setInt(2, number);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
      }
    });
  }

  private static Build read(ResultSet rs) throws SQLException {
    Timestamp finished = rs.getTimestamp(6);
    int release = rs.getInt(8);
    Integer rel = rs.wasNull() ? null : release;
    return new Build(rs.getInt(1), rs.getInt(12), rs.getString(2), rs.getString(3), rs.getString(4),
        rs.getTimestamp(5).toInstant(), finished == null ? null : finished.toInstant(),
        rs.getString(7), rel, rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(13));
  }
}
