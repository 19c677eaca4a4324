package dev.pier.release;

import dev.pier.model.AppName;
import dev.pier.store.Database;
import dev.pier.store.JsonColumn;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Persistence of releases; creating one also makes it the app's current release. */
public final class ReleaseStore {
  private static final String COLUMNS =
      "app, version, slug, description, created_by, created_at, env, build_env, processes, status,"
          + " readiness_path, source_commit";
  private final Database db;

  public ReleaseStore(Database db) {
    this.db = db;
  }

  /**
   * Appends release v(N+1). It becomes current only when it gets the most traffic
   * ({@link dev.pier.versions.VersionStore#setTraffic}).
   */
  public Release create(
      AppName app, Path slug, String description, String createdBy, Instant now,
      Map<String, String> env, Map<String, String> buildEnv, Map<String, String> processes,
      String readinessPath, String commit) {
    return db.transaction(
        c -> {
          int version;
          try (PreparedStatement ps =
              c.prepareStatement("SELECT COALESCE(MAX(version), 0) + 1 FROM releases WHERE app = ?")) {
            ps.setString(1, app.value());
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              version = rs.getInt(1);
            }
          }
          Release release =
              new Release(
                  app.value(), version, slug, description, createdBy, now, env, buildEnv, processes,
                  false, readinessPath, commit);
          try (PreparedStatement ps =
              c.prepareStatement("INSERT INTO releases (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)")) {
            ps.setString(1, app.value());
            ps.setInt(2, version);
            ps.setString(3, slug == null ? null : slug.toString());
            ps.setString(4, description);
            ps.setString(5, createdBy);
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setString(7, JsonColumn.write(env));
            ps.setString(8, JsonColumn.write(buildEnv));
            ps.setString(9, JsonColumn.write(processes));
            ps.setString(10, readinessPath);
            ps.setString(11, commit);
            ps.executeUpdate();
          }
          return release;
        });
  }

  /**
   * Marks every release still "pending" (created, never run: its deploy, config change or
   * rollback was cut off by a crash) as failed; returns them as "APP vN".
   */
  public List<String> failPending() {
    return db.transaction(
        c -> {
          List<String> pending = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT app, version FROM releases WHERE status = 'pending' ORDER BY app, version");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) pending.add(rs.getString(1) + " v" + rs.getInt(2));
          }
          try (PreparedStatement ps = c.prepareStatement("UPDATE releases SET status = 'failed' WHERE status = 'pending'")) {
            ps.executeUpdate();
          }
          return pending;
        });
  }

  /** Records that a release never became ready. */
  public void markFailed(AppName app, int version) {
    update("UPDATE releases SET status = 'failed' WHERE version = ? AND app = ?", version, app);
  }

  private void update(String sql, int version, AppName app) {
    db.transaction(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, version);
            ps.setString(2, app.value());
            return ps.executeUpdate();
          }
        });
  }

  public Optional<Release> find(AppName app, int version) {
    return db.query(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT " + COLUMNS + " FROM releases WHERE app = ? AND version = ?")) {
            ps.setString(1, app.value());
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
          }
        });
  }

  /** Every release of the app, newest first. */
  public List<Release> list(AppName app) {
    return db.query(
        c -> {
          List<Release> releases = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT " + COLUMNS + " FROM releases WHERE app = ? ORDER BY version DESC")) {
            ps.setString(1, app.value());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) releases.add(read(rs));
            }
          }
          return releases;
        });
  }

  private static Release read(ResultSet rs) throws SQLException {
    String slug = rs.getString(3);
    return new Release(
        rs.getString(1), rs.getInt(2), slug == null ? null : Path.of(slug), rs.getString(4),
        rs.getString(5), rs.getTimestamp(6).toInstant(), JsonColumn.read(rs.getString(7)),
        JsonColumn.read(rs.getString(8)), JsonColumn.read(rs.getString(9)),
        "failed".equals(rs.getString(10)), rs.getString(11), rs.getString(12));
  }

}
