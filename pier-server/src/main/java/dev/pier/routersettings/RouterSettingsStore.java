package dev.pier.routersettings;

import dev.pier.model.AppName;
import dev.pier.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/** Persistence of apps' own router settings: one row per app and setting it set. */
public final class RouterSettingsStore {
  private final Database db;

  public RouterSettingsStore(Database db) {
    this.db = db;
  }

  /** The settings {@code app} set, by setting. */
  public Map<RouterSetting, Long> of(AppName app) {
    return db.query(c -> {
      Map<RouterSetting, Long> own = new EnumMap<>(RouterSetting.class);
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT setting, setting_value FROM app_router_settings WHERE app = ?")) {
        ps.setString(1, app.value());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) put(own, rs.getString(1), rs.getLong(2));
        }
      }
      return own;
    });
  }

  /** The settings of every app that set any, by app name. */
  public Map<String, Map<RouterSetting, Long>> all() {
    return db.query(c -> {
      Map<String, Map<RouterSetting, Long>> all = new HashMap<>();
      try (ResultSet rs = c.createStatement().executeQuery(
          "SELECT app, setting, setting_value FROM app_router_settings")) {
        while (rs.next()) {
          put(all.computeIfAbsent(rs.getString(1), a -> new EnumMap<>(RouterSetting.class)),
              rs.getString(2), rs.getLong(3));
        }
      }
      return all;
    });
  }

  /** Sets {@code values} for {@code app} and removes {@code reset}, in one transaction. */
  public void update(AppName app, Map<RouterSetting, Long> values, Iterable<RouterSetting> reset) {
    db.transaction(c -> {
      try (PreparedStatement del = c.prepareStatement(
              "DELETE FROM app_router_settings WHERE app = ? AND setting = ?");
          PreparedStatement put = c.prepareStatement(
              "MERGE INTO app_router_settings (app, setting, setting_value) KEY (app, setting)"
                  + " VALUES (?, ?, ?)")) {
        for (RouterSetting s : reset) {
          del.setString(1, app.value());
          del.setString(2, s.key());
          del.executeUpdate();
        }
        for (Map.Entry<RouterSetting, Long> e : values.entrySet()) {
          put.setString(1, app.value());
          put.setString(2, e.getKey().key());
          put.setLong(3, e.getValue());
          put.executeUpdate();
        }
      }
      return null;
    });
  }

  private static void put(Map<RouterSetting, Long> into, String key, long value) {
    RouterSetting s = RouterSetting.byKey(key);
    if (s != null && s.perApp()) into.put(s, value); // a setting this version no longer knows
  }
}
