package dev.pier.versions;

import dev.pier.model.AppName;
import dev.pier.model.SplitBy;
import dev.pier.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Persistence of each app's traffic split and of which versions are meant to run. */
public final class VersionStore {
  private final Database db;

  public VersionStore(Database db) {
    this.db = db;
  }

  public Traffic traffic(AppName app) {
    return db.query(
        c -> {
          SplitBy splitBy = SplitBy.RANDOM;
          try (PreparedStatement ps = c.prepareStatement("SELECT split_by FROM apps WHERE name = ?")) {
            ps.setString(1, app.value());
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) splitBy = SplitBy.parse(rs.getString(1));
            }
          }
          Map<Integer, Integer> allocations = new TreeMap<>();
          try (PreparedStatement ps =
              c.prepareStatement("SELECT version, percent FROM traffic WHERE app = ?")) {
            ps.setString(1, app.value());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) allocations.put(rs.getInt(1), rs.getInt(2));
            }
          }
          return new Traffic(splitBy, allocations);
        });
  }

  /** Stores the split and makes its main version the app's current release, in one transaction. */
  public void setTraffic(AppName app, Traffic traffic) {
    db.transaction(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("DELETE FROM traffic WHERE app = ?")) {
            ps.setString(1, app.value());
            ps.executeUpdate();
          }
          for (Map.Entry<Integer, Integer> e : traffic.allocations().entrySet()) {
            try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO traffic (app, version, percent) VALUES (?, ?, ?)")) {
              ps.setString(1, app.value());
              ps.setInt(2, e.getKey());
              ps.setInt(3, e.getValue());
              ps.executeUpdate();
            }
            markRunning(c, app, e.getKey());
          }
          // The version with the most traffic is the current release (the base of config changes
          // and rollbacks): stored in the same transaction, so a crash never splits the two.
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE apps SET split_by = ?, current_release = ? WHERE name = ?")) {
            ps.setString(1, traffic.splitBy().wireName());
            ps.setInt(2, traffic.main());
            ps.setString(3, app.value());
            ps.executeUpdate();
          }
          return null;
        });
  }

  public Set<Integer> running(AppName app) {
    return db.query(
        c -> {
          Set<Integer> versions = new TreeSet<>();
          try (PreparedStatement ps =
              c.prepareStatement("SELECT version FROM running_versions WHERE app = ?")) {
            ps.setString(1, app.value());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) versions.add(rs.getInt(1));
            }
          }
          return versions;
        });
  }

  /**
   * Marks a version to run without saying it ran: a pending release stays pending until it is
   * ready ({@link #setRunning} or {@link #setTraffic}), so a crash in between leaves it pending.
   */
  public void start(AppName app, int version) {
    db.transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("MERGE INTO running_versions (app, version) KEY (app, version) VALUES (?, ?)")) {
            ps.setString(1, app.value());
            ps.setInt(2, version);
            ps.executeUpdate();
          }
          return null;
        });
  }

  /** Marks a version running (and its release no longer pending) or stopped. */
  public void setRunning(AppName app, int version, boolean running) {
    db.transaction(
        c -> {
          if (running) {
            markRunning(c, app, version);
          } else {
            try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM running_versions WHERE app = ? AND version = ?")) {
              ps.setString(1, app.value());
              ps.setInt(2, version);
              ps.executeUpdate();
            }
          }
          return null;
        });
  }

  private static void markRunning(java.sql.Connection c, AppName app, int version)
      throws java.sql.SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("MERGE INTO running_versions (app, version) KEY (app, version) VALUES (?, ?)")) {
      ps.setString(1, app.value());
      ps.setInt(2, version);
      ps.executeUpdate();
    }
    // A release is "pending" from its creation until it first runs or takes traffic; a crash in
    // between leaves it pending, and the next start marks it failed (Doctor).
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE releases SET status = 'ok' WHERE app = ? AND version = ? AND status = 'pending'")) {
      ps.setString(1, app.value());
      ps.setInt(2, version);
      ps.executeUpdate();
    }
  }
}
