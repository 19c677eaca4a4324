package dev.pier.app;

import dev.pier.model.AppName;
import dev.pier.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Persistence of {@link App} rows. */
public final class AppStore {
  private final Database db;

  public AppStore(Database db) {
    this.db = db;
  }

  /** Inserts a new app with a fresh uid; returns empty when the name is taken. */
  public Optional<App> insert(AppName name, Instant now) {
    return db.transaction(
        c -> {
          if (find(c, name).isPresent()) return Optional.empty();
          int uid;
          try (ResultSet rs = c.createStatement().executeQuery("SELECT NEXT VALUE FOR app_uid")) {
            rs.next();
            uid = rs.getInt(1);
          }
          try (PreparedStatement ps =
              c.prepareStatement("INSERT INTO apps (name, uid, created_at) VALUES (?, ?, ?)")) {
            ps.setString(1, name.value());
            ps.setInt(2, uid);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.executeUpdate();
          }
          return Optional.of(new App(name, uid, now, 0, null));
        });
  }

  public Optional<App> find(AppName name) {
    return db.query(c -> find(c, name));
  }

  public List<App> all() {
    return db.query(
        c -> {
          List<App> apps = new ArrayList<>();
          try (ResultSet rs =
              c.createStatement()
                  .executeQuery("SELECT name, uid, created_at, current_release, readiness_path FROM apps ORDER BY name")) {
            while (rs.next()) apps.add(read(rs));
          }
          return apps;
        });
  }

  /** The app's own boot timeout in seconds, when it set one. */
  public java.util.Optional<Integer> bootTimeoutSeconds(AppName name) {
    return db.query(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT boot_timeout_seconds FROM apps WHERE name = ?")) {
        ps.setString(1, name.value());
        try (java.sql.ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) return java.util.Optional.<Integer>empty();
          int v = rs.getInt(1);
          return rs.wasNull() ? java.util.Optional.<Integer>empty() : java.util.Optional.of(v);
        }
      }
    });
  }

  /** Sets (or with null clears) the app's boot timeout in seconds. */
  public void setBootTimeoutSeconds(AppName name, Integer seconds) {
    db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE apps SET boot_timeout_seconds = ? WHERE name = ?")) {
        if (seconds == null) ps.setNull(1, java.sql.Types.INTEGER);
        else ps.setInt(1, seconds);
        ps.setString(2, name.value());
        return ps.executeUpdate();
      }
    });
  }

  /** Whether the app is in maintenance mode (false for an unknown app). */
  public boolean maintenance(AppName name) {
    return db.query(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT maintenance FROM apps WHERE name = ?")) {
        ps.setString(1, name.value());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() && rs.getBoolean(1);
        }
      }
    });
  }

  /** The names of the apps in maintenance mode. */
  public java.util.Set<String> inMaintenance() {
    return db.query(c -> {
      java.util.Set<String> names = new java.util.HashSet<>();
      try (ResultSet rs = c.createStatement().executeQuery("SELECT name FROM apps WHERE maintenance")) {
        while (rs.next()) names.add(rs.getString(1));
      }
      return names;
    });
  }

  /** Turns the app's maintenance mode on or off. */
  public void setMaintenance(AppName name, boolean on) {
    db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE apps SET maintenance = ? WHERE name = ?")) {
        ps.setBoolean(1, on);
        ps.setString(2, name.value());
        return ps.executeUpdate();
      }
    });
  }

  public void setReadinessPath(AppName name, String path) {
    db.transaction(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("UPDATE apps SET readiness_path = ? WHERE name = ?")) {
            ps.setString(1, path);
            ps.setString(2, name.value());
            return ps.executeUpdate();
          }
        });
  }

  public boolean delete(AppName name) {
    return db.transaction(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("DELETE FROM apps WHERE name = ?")) {
            ps.setString(1, name.value());
            return ps.executeUpdate() > 0;
          }
        });
  }

  static Optional<App> find(Connection c, AppName name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT name, uid, created_at, current_release, readiness_path FROM apps WHERE name = ?")) {
      ps.setString(1, name.value());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  private static App read(ResultSet rs) throws SQLException {
    return new App(
        new AppName(rs.getString(1)), rs.getInt(2), rs.getTimestamp(3).toInstant(), rs.getInt(4),
        rs.getString(5));
  }
}
