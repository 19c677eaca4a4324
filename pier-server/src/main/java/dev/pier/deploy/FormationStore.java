package dev.pier.deploy;

import dev.pier.model.AppName;
import dev.pier.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * Persistence of the formation: per process type, the desired instance count, the size and, for
 * types that autoscale, the autoscaling spec.
 */
public final class FormationStore {
  private final Database db;

  public FormationStore(Database db) {
    this.db = db;
  }

  public Map<String, Integer> get(AppName app) {
    return db.query(
        c -> {
          Map<String, Integer> formation = new TreeMap<>();
          try (PreparedStatement ps =
              c.prepareStatement("SELECT process_type, quantity FROM formation WHERE app = ?")) {
            ps.setString(1, app.value());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) formation.put(rs.getString(1), rs.getInt(2));
            }
          }
          return formation;
        });
  }

  public void put(AppName app, Map<String, Integer> quantities) {
    db.transaction(
        c -> {
          for (Map.Entry<String, Integer> e : quantities.entrySet()) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "MERGE INTO formation (app, process_type, quantity) KEY (app, process_type) VALUES (?, ?, ?)")) {
              ps.setString(1, app.value());
              ps.setString(2, e.getKey());
              ps.setInt(3, e.getValue());
              ps.executeUpdate();
            }
          }
          return null;
        });
  }

  /** The size set per process type (types without one are absent). */
  public Map<String, String> sizes(AppName app) {
    return column(app, "size");
  }

  /** The autoscaling spec (JSON) per process type that autoscales. */
  public Map<String, String> autoscale(AppName app) {
    return column(app, "autoscale");
  }

  /** Sets (or with null clears) the size of one process type, keeping its count. */
  public void putSize(AppName app, String type, String size) {
    putColumn(app, type, "size", size);
  }

  /** Sets (or with null clears) the autoscaling spec of one process type, keeping its count. */
  public void putAutoscale(AppName app, String type, String specJson) {
    putColumn(app, type, "autoscale", specJson);
  }

  private Map<String, String> column(AppName app, String column) {
    return db.query(
        c -> {
          Map<String, String> values = new TreeMap<>();
          try (PreparedStatement ps = c.prepareStatement(
              "SELECT process_type, " + column + " FROM formation WHERE app = ? AND " + column + " IS NOT NULL")) {
            ps.setString(1, app.value());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) values.put(rs.getString(1), rs.getString(2));
            }
          }
          return values;
        });
  }

  private void putColumn(AppName app, String type, String column, String value) {
    db.transaction(
        c -> {
          int updated;
          try (PreparedStatement ps = c.prepareStatement(
              "UPDATE formation SET " + column + " = ? WHERE app = ? AND process_type = ?")) {
            ps.setString(1, value);
            ps.setString(2, app.value());
            ps.setString(3, type);
            updated = ps.executeUpdate();
          }
          if (updated == 0) {
            try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO formation (app, process_type, quantity, " + column + ") VALUES (?, ?, 0, ?)")) {
              ps.setString(1, app.value());
              ps.setString(2, type);
              ps.setString(3, value);
              ps.executeUpdate();
            }
          }
          return null;
        });
  }

  /** One process type's stored desired state. */
  public record Row(String type, int quantity, String size, String autoscale) {}

  /** Everything stored for the app, to put back with {@link #restore} if a change fails. */
  public java.util.List<Row> snapshot(AppName app) {
    return db.query(c -> {
      java.util.List<Row> rows = new java.util.ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT process_type, quantity, size, autoscale FROM formation WHERE app = ? ORDER BY process_type")) {
        ps.setString(1, app.value());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) rows.add(new Row(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4)));
        }
      }
      return rows;
    });
  }

  /** Replaces what is stored for the app with {@code rows}, in one transaction. */
  public void restore(AppName app, java.util.List<Row> rows) {
    db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM formation WHERE app = ?")) {
        ps.setString(1, app.value());
        ps.executeUpdate();
      }
      for (Row row : rows) {
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO formation (app, process_type, quantity, size, autoscale) VALUES (?, ?, ?, ?, ?)")) {
          ps.setString(1, app.value());
          ps.setString(2, row.type());
          ps.setInt(3, row.quantity());
          ps.setString(4, row.size());
          ps.setString(5, row.autoscale());
          ps.executeUpdate();
        }
      }
      return null;
    });
  }
}
