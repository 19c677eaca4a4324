package dev.pier.deploy;

import dev.pier.model.AppName;
import dev.pier.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.TreeMap;

/** Persistence of the desired instance count per process type: the formation. */
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
}
