package dev.pier.features;

import dev.pier.model.AppName;
import dev.pier.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Persistence of the features apps switched on: one row per app and enabled feature. */
public final class FeatureStore {
  private final Database db;

  public FeatureStore(Database db) {
    this.db = db;
  }

  /** The features {@code app} has on. */
  public Set<Feature> of(AppName app) {
    return db.query(c -> {
      Set<Feature> on = EnumSet.noneOf(Feature.class);
      try (PreparedStatement ps = c.prepareStatement("SELECT feature FROM app_features WHERE app = ?")) {
        ps.setString(1, app.value());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) add(on, rs.getString(1));
        }
      }
      return on;
    });
  }

  /** The enabled features of every app that has any, by app name. */
  public Map<String, Set<Feature>> all() {
    return db.query(c -> {
      Map<String, Set<Feature>> all = new HashMap<>();
      try (ResultSet rs = c.createStatement().executeQuery("SELECT app, feature FROM app_features")) {
        while (rs.next()) {
          add(all.computeIfAbsent(rs.getString(1), a -> EnumSet.noneOf(Feature.class)), rs.getString(2));
        }
      }
      return all;
    });
  }

  /** Switches {@code feature} of {@code app} on or off (a no-op when it already is). */
  public void set(AppName app, Feature feature, boolean enabled) {
    db.transaction(c -> {
      String sql = enabled
          ? "MERGE INTO app_features (app, feature) KEY (app, feature) VALUES (?, ?)"
          : "DELETE FROM app_features WHERE app = ? AND feature = ?";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, app.value());
        ps.setString(2, feature.key());
        ps.executeUpdate();
      }
      return null;
    });
  }

  private static void add(Set<Feature> into, String key) {
    Feature f = Feature.byKey(key);
    if (f != null) into.add(f); // a feature this version no longer knows
  }
}
