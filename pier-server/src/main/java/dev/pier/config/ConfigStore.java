package dev.pier.config;

import dev.pier.model.AppName;
import dev.pier.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.TreeMap;

/** Persistence of an app's current config vars (releases keep their own snapshots). */
public final class ConfigStore {
  private final Database db;

  public ConfigStore(Database db) {
    this.db = db;
  }

  public Map<String, String> get(AppName app) {
    return db.query(
        c -> {
          Map<String, String> vars = new TreeMap<>();
          try (PreparedStatement ps =
              c.prepareStatement("SELECT name, var_value FROM config_vars WHERE app = ?")) {
            ps.setString(1, app.value());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) vars.put(rs.getString(1), rs.getString(2));
            }
          }
          return vars;
        });
  }

  /** Applies sets (non-null values) and unsets (null values) in one transaction. */
  public Map<String, String> update(AppName app, Map<String, String> changes) {
    db.transaction(
        c -> {
          for (Map.Entry<String, String> e : changes.entrySet()) {
            if (e.getValue() == null) {
              try (PreparedStatement ps =
                  c.prepareStatement("DELETE FROM config_vars WHERE app = ? AND name = ?")) {
                ps.setString(1, app.value());
                ps.setString(2, e.getKey());
                ps.executeUpdate();
              }
            } else {
              try (PreparedStatement ps =
                  c.prepareStatement("MERGE INTO config_vars (app, name, var_value) KEY (app, name) VALUES (?, ?, ?)")) {
                ps.setString(1, app.value());
                ps.setString(2, e.getKey());
                ps.setString(3, e.getValue());
                ps.executeUpdate();
              }
            }
          }
          return null;
        });
    return get(app);
  }
}
