package dev.pier.addons;

import dev.pier.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Persistence of add-on backups (table {@code addon_backups}) and each add-on's schedule and retention. */
public final class BackupStore {
  /** One backup; {@code id()} is {@code b001}; {@code app} is the app whose {@code release} it was taken for, or null. */
  public record Backup(String addon, int number, String state, String trigger, Integer release, long sizeBytes,
      Instant createdAt, String app) {
    public String id() {
      return "b" + String.format("%03d", number);
    }
  }

  /** When an add-on is backed up every day (HH:MM UTC, or null) and how many backups it keeps. */
  public record Schedule(String at, int keep) {}

  private final Database db;

  public BackupStore(Database db) {
    this.db = db;
  }

  /** Adds a backup in state {@code capturing} with the add-on's next number. */
  public Backup start(String addon, String trigger, Integer release, String app, Instant at) {
    return db.transaction(c -> {
      int next;
      try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(number), 0) + 1 FROM addon_backups WHERE addon = ?")) {
        ps.setString(1, addon);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          next = rs.getInt(1);
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO addon_backups (addon, number, state, trigger_kind,"
          + " release_version, size_bytes, created_at, app) VALUES (?, ?, 'capturing', ?, ?, 0, ?, ?)")) {
        ps.setString(1, addon);
        ps.setInt(2, next);
        ps.setString(3, trigger);
        ps.setObject(4, release);
        ps.setTimestamp(5, Timestamp.from(at));
        ps.setString(6, app);
        ps.executeUpdate();
      }
      return new Backup(addon, next, "capturing", trigger, release, 0, at, app);
    });
  }

  public void done(String addon, int number, long size) {
    update("UPDATE addon_backups SET state = 'done', size_bytes = ? WHERE addon = ? AND number = ?", size, addon, number);
  }

  public void delete(String addon, int number) {
    update("DELETE FROM addon_backups WHERE addon = ? AND number = ?", addon, number);
  }

  /** The add-on's backups, oldest first (also those being captured). */
  public List<Backup> of(String addon) {
    return db.query(c -> {
      List<Backup> all = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT addon, number, state, trigger_kind, release_version,"
          + " size_bytes, created_at, app FROM addon_backups WHERE addon = ? ORDER BY number")) {
        ps.setString(1, addon);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            all.add(new Backup(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                (Integer) rs.getObject(5), rs.getLong(6), rs.getTimestamp(7).toInstant(), rs.getString(8)));
          }
        }
      }
      return all;
    });
  }

  public Optional<Backup> find(String addon, int number) {
    return of(addon).stream().filter(b -> b.number() == number).findFirst();
  }

  public Schedule schedule(String addon) {
    return db.query(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT backup_at, backup_keep FROM addons WHERE name = ?")) {
        ps.setString(1, addon);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? new Schedule(rs.getString(1), rs.getInt(2)) : new Schedule(null, 5);
        }
      }
    });
  }

  public void setSchedule(String addon, Schedule s) {
    update("UPDATE addons SET backup_at = ?, backup_keep = ? WHERE name = ?", s.at(), s.keep(), addon);
  }

  private void update(String sql, Object... args) {
    db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
        ps.executeUpdate();
      }
      return null;
    });
  }
}
