package dev.pier.domains;

import dev.pier.model.AppName;
import dev.pier.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Persistence of custom domains: one row per host name, owned by one app (table {@code domains}). */
public final class DomainStore {
  /** One stored domain. */
  public record Domain(String hostname, String app, Instant createdAt) {}

  private final Database db;

  public DomainStore(Database db) {
    this.db = db;
  }

  /** The app that owns {@code hostname}, if any. */
  public Optional<String> owner(String hostname) {
    return db.query(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT app FROM domains WHERE hostname = ?")) {
        ps.setString(1, hostname);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }

  /** {@code app}'s domains, by host name. */
  public List<Domain> of(AppName app) {
    return db.query(c -> {
      List<Domain> all = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT hostname, app, created_at FROM domains WHERE app = ? ORDER BY hostname")) {
        ps.setString(1, app.value());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) all.add(new Domain(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()));
        }
      }
      return all;
    });
  }

  /** Every app's domain host names, by app name. */
  public Map<String, List<String>> all() {
    return db.query(c -> {
      Map<String, List<String>> all = new HashMap<>();
      try (ResultSet rs = c.createStatement().executeQuery("SELECT app, hostname FROM domains")) {
        while (rs.next()) all.computeIfAbsent(rs.getString(1), a -> new ArrayList<>()).add(rs.getString(2));
      }
      return all;
    });
  }

  /** Adds {@code hostname} to {@code app}; false if some app has it already. */
  public boolean add(AppName app, String hostname, Instant at) {
    return db.transaction(c -> {
      try (PreparedStatement find = c.prepareStatement("SELECT app FROM domains WHERE hostname = ?")) {
        find.setString(1, hostname);
        try (ResultSet rs = find.executeQuery()) {
          if (rs.next()) return false;
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO domains (hostname, app, created_at) VALUES (?, ?, ?)")) {
        ps.setString(1, hostname);
        ps.setString(2, app.value());
        ps.setTimestamp(3, Timestamp.from(at));
        ps.executeUpdate();
      } catch (java.sql.SQLIntegrityConstraintViolationException raced) {
        return false; // another request added it since the check above
      }
      return true;
    });
  }

  /** Removes {@code hostname} from {@code app}; false if the app did not have it. */
  public boolean remove(AppName app, String hostname) {
    return db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM domains WHERE app = ? AND hostname = ?")) {
        ps.setString(1, app.value());
        ps.setString(2, hostname);
        return ps.executeUpdate() > 0;
      }
    });
  }
}
