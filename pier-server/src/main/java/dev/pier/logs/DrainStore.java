package dev.pier.logs;

import dev.pier.model.AppName;
import dev.pier.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Persistence of each app's drain URLs. */
public final class DrainStore {
  /** A stored drain. */
  public record StoredDrain(int id, String app, String url, Instant createdAt) {}

  private final Database db;

  public DrainStore(Database db) {
    this.db = db;
  }

  public List<StoredDrain> all() {
    return db.query(c -> {
      List<StoredDrain> drains = new ArrayList<>();
      try (ResultSet rs = c.createStatement().executeQuery("SELECT id, app, url, created_at FROM drains ORDER BY id")) {
        while (rs.next()) drains.add(new StoredDrain(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()));
      }
      return drains;
    });
  }

  /** Inserts a drain; returns null when the app already has this URL. */
  public StoredDrain insert(AppName app, String url, Instant now) {
    return db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT id FROM drains WHERE app = ? AND url = ?")) {
        ps.setString(1, app.value());
        ps.setString(2, url);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) return null;
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO drains (app, url, created_at) VALUES (?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, app.value());
        ps.setString(2, url);
        ps.setTimestamp(3, Timestamp.from(now));
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          keys.next();
          return new StoredDrain(keys.getInt(1), app.value(), url, now);
        }
      }
    });
  }

  public boolean delete(AppName app, int id) {
    return db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM drains WHERE app = ? AND id = ?")) {
        ps.setString(1, app.value());
        ps.setInt(2, id);
        return ps.executeUpdate() > 0;
      }
    });
  }
}
