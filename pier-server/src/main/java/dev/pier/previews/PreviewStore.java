package dev.pier.previews;

import dev.pier.model.AppName;
import dev.pier.store.Database;
import dev.pier.store.JsonColumn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Persistence of previews, of the releases built for them, and of each app's idle limit. */
public final class PreviewStore {
  private static final String COLUMNS =
      "app, branch, label, version, source_commit, overrides, asleep, last_request_at, created_at, updated_at";
  private final Database db;

  public PreviewStore(Database db) {
    this.db = db;
  }

  public List<Preview> list(AppName app) {
    return select("SELECT " + COLUMNS + " FROM previews WHERE app = ? ORDER BY branch", app.value());
  }

  /** Every preview of every app. */
  public List<Preview> all() {
    return select("SELECT " + COLUMNS + " FROM previews ORDER BY app, branch");
  }

  public Optional<Preview> find(AppName app, String branch) {
    return select("SELECT " + COLUMNS + " FROM previews WHERE app = ? AND branch = ?", app.value(), branch)
        .stream().findFirst();
  }

  /**
   * The preview whose label is {@code key}, else the one whose branch is: labels are unique and
   * what clients send, so a label that is also another preview's branch names its own preview.
   */
  public Optional<Preview> findByBranchOrLabel(AppName app, String key) {
    List<Preview> found = select("SELECT " + COLUMNS + " FROM previews WHERE app = ? AND (branch = ? OR label = ?)"
        + " ORDER BY CASE WHEN label = ? THEN 0 ELSE 1 END", app.value(), key, key, key);
    return found.stream().findFirst();
  }

  /** Inserts the preview or replaces its row. */
  public void save(Preview p) {
    db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("MERGE INTO previews (" + COLUMNS + ") KEY (app, branch)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, p.app());
        ps.setString(2, p.branch());
        ps.setString(3, p.label());
        ps.setInt(4, p.version());
        ps.setString(5, p.commit());
        ps.setString(6, JsonColumn.write(p.overrides()));
        ps.setBoolean(7, p.asleep());
        ps.setTimestamp(8, p.lastRequest() == null ? null : Timestamp.from(p.lastRequest()));
        ps.setTimestamp(9, Timestamp.from(p.createdAt()));
        ps.setTimestamp(10, Timestamp.from(p.updatedAt()));
        ps.executeUpdate();
      }
      return null;
    });
  }

  public void delete(AppName app, String branch) {
    update("DELETE FROM previews WHERE app = ? AND branch = ?", app.value(), branch);
  }

  /**
   * Marks it asleep or awake while it still serves {@code version} (a deploy that replaced it
   * meanwhile wins); true if that changed it.
   */
  public boolean setAsleep(AppName app, String branch, int version, boolean asleep) {
    return update("UPDATE previews SET asleep = ? WHERE app = ? AND branch = ? AND version = ? AND asleep <> ?",
        asleep, app.value(), branch, version, asleep) > 0;
  }

  /** Records a request seen at {@code when} (kept only if later than the one stored). */
  public void touch(AppName app, String branch, Instant when) {
    update("UPDATE previews SET last_request_at = ? WHERE app = ? AND branch = ?"
        + " AND (last_request_at IS NULL OR last_request_at < ?)",
        Timestamp.from(when), app.value(), branch, Timestamp.from(when));
  }

  /** Records that {@code version} of the app is built for {@code branch}'s preview. */
  public void addRelease(AppName app, int version, String branch) {
    update("MERGE INTO preview_releases (app, version, branch) KEY (app, version) VALUES (?, ?, ?)",
        app.value(), version, branch);
  }

  /** Every release built for a preview of the app, with its branch. */
  public Map<Integer, String> releases(AppName app) {
    return db.query(c -> {
      Map<Integer, String> result = new TreeMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT version, branch FROM preview_releases WHERE app = ?")) {
        ps.setString(1, app.value());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) result.put(rs.getInt(1), rs.getString(2));
        }
      }
      return result;
    });
  }

  /** How long the app's previews may go without a request, when the app set it. */
  public Optional<Duration> idleLimit(AppName app) {
    return db.query(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT idle_seconds FROM preview_settings WHERE app = ?")) {
        ps.setString(1, app.value());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(Duration.ofSeconds(rs.getLong(1))) : Optional.<Duration>empty();
        }
      }
    });
  }

  public void setIdleLimit(AppName app, Duration limit) {
    update("MERGE INTO preview_settings (app, idle_seconds) KEY (app) VALUES (?, ?)", app.value(), limit.toSeconds());
  }

  private int update(String sql, Object... args) {
    return db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        bind(ps, args);
        return ps.executeUpdate();
      }
    });
  }

  private List<Preview> select(String sql, Object... args) {
    return db.query(c -> read(c, sql, args));
  }

  private static List<Preview> read(Connection c, String sql, Object... args) throws SQLException {
    List<Preview> result = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Timestamp last = rs.getTimestamp(8);
          result.add(new Preview(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
              JsonColumn.read(rs.getString(6)), rs.getBoolean(7), last == null ? null : last.toInstant(),
              rs.getTimestamp(9).toInstant(), rs.getTimestamp(10).toInstant()));
        }
      }
    }
    return result;
  }

  private static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
  }
}
