package dev.pier.addons;

import dev.pier.datastores.Credentials;
import dev.pier.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Persistence of add-ons and the apps they are attached to (tables {@code addons}, {@code addon_attachments}). */
public final class AddonStore {
  private static final String COLUMNS =
      "name, kind, plan, port, uid, state, owner_app, host, user_name, password, path, created_at";

  private final Database db;

  public AddonStore(Database db) {
    this.db = db;
  }

  /** Stores a new add-on (state {@code creating}); false if the name or port is taken. */
  public boolean insert(Addon a) {
    return db.transaction(c -> {
      try (PreparedStatement find = c.prepareStatement("SELECT 1 FROM addons WHERE name = ? OR port = ?")) {
        find.setString(1, a.name());
        find.setInt(2, a.port());
        try (ResultSet rs = find.executeQuery()) {
          if (rs.next()) return false;
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO addons (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
        ps.setString(1, a.name());
        ps.setString(2, a.kind());
        ps.setString(3, a.plan());
        ps.setInt(4, a.port());
        ps.setInt(5, a.uid());
        ps.setString(6, a.state());
        ps.setString(7, a.ownerApp());
        Credentials cr = a.credentials();
        ps.setString(8, cr == null ? null : cr.host());
        ps.setString(9, cr == null ? null : cr.user());
        ps.setString(10, cr == null ? null : cr.password());
        ps.setString(11, cr == null ? null : cr.path());
        ps.setTimestamp(12, Timestamp.from(a.createdAt()));
        ps.executeUpdate();
      } catch (java.sql.SQLIntegrityConstraintViolationException raced) {
        return false;
      }
      return true;
    });
  }

  /** A fresh uid from the apps' uid sequence: an add-on's uid is never an app's. */
  public int nextUid() {
    return db.transaction(c -> {
      try (ResultSet rs = c.createStatement().executeQuery("SELECT NEXT VALUE FOR app_uid")) {
        rs.next();
        return rs.getInt(1);
      }
    });
  }

  public Optional<Addon> find(String name) {
    List<Addon> found = select("WHERE name = ?", name);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
  }

  /** Every add-on, by name. */
  public List<Addon> all() {
    return select("");
  }

  /** The ports of every stored add-on. */
  public Set<Integer> ports() {
    Set<Integer> ports = new HashSet<>();
    for (Addon a : all()) ports.add(a.port());
    return ports;
  }

  public void setCredentials(String name, Credentials cr) {
    update("UPDATE addons SET host = ?, user_name = ?, password = ?, path = ? WHERE name = ?",
        cr.host(), cr.user(), cr.password(), cr.path(), name);
  }

  public void setState(String name, String state) {
    update("UPDATE addons SET state = ? WHERE name = ?", state, name);
  }

  public void setOwner(String name, String app) {
    update("UPDATE addons SET owner_app = ? WHERE name = ?", app, name);
  }

  public void setPlan(String name, String plan) {
    update("UPDATE addons SET plan = ? WHERE name = ?", plan, name);
  }

  /** Removes the add-on and its attachments. */
  public void delete(String name) {
    update("DELETE FROM addons WHERE name = ?", name);
  }

  /** Attaches {@code addon} to {@code app} as {@code alias}; false if it already is. */
  public boolean attach(String addon, String app, String alias, Instant at) {
    return db.transaction(c -> {
      try (PreparedStatement find = c.prepareStatement("SELECT 1 FROM addon_attachments WHERE addon = ? AND app = ?")) {
        find.setString(1, addon);
        find.setString(2, app);
        try (ResultSet rs = find.executeQuery()) {
          if (rs.next()) return false;
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO addon_attachments (addon, app, alias, created_at) VALUES (?, ?, ?, ?)")) {
        ps.setString(1, addon);
        ps.setString(2, app);
        ps.setString(3, alias);
        ps.setTimestamp(4, Timestamp.from(at));
        ps.executeUpdate();
      }
      return true;
    });
  }

  /** Detaches {@code addon} from {@code app}; false if it was not attached. */
  public boolean detach(String addon, String app) {
    return db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM addon_attachments WHERE addon = ? AND app = ?")) {
        ps.setString(1, addon);
        ps.setString(2, app);
        return ps.executeUpdate() > 0;
      }
    });
  }

  /** The apps {@code addon} is attached to, oldest first. */
  public List<Addon.Attachment> attachmentsOf(String addon) {
    return attachments("WHERE addon = ?", addon);
  }

  /** The add-ons attached to {@code app}, oldest first. */
  public List<Addon.Attachment> attachedTo(String app) {
    return attachments("WHERE app = ?", app);
  }

  private List<Addon.Attachment> attachments(String where, String value) {
    return db.query(c -> {
      List<Addon.Attachment> all = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT addon, app, alias, created_at FROM addon_attachments " + where + " ORDER BY created_at, addon")) {
        ps.setString(1, value);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            all.add(new Addon.Attachment(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getTimestamp(4).toInstant()));
          }
        }
      }
      return all;
    });
  }

  private List<Addon> select(String where, String... args) {
    return db.query(c -> {
      List<Addon> all = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM addons " + where + " ORDER BY name")) {
        for (int i = 0; i < args.length; i++) ps.setString(i + 1, args[i]);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) all.add(read(rs));
        }
      }
      return all;
    });
  }

  private static Addon read(ResultSet rs) throws SQLException {
    String password = rs.getString(10);
    Credentials cr = password == null ? null
        : new Credentials(rs.getString(8), rs.getInt(4), nn(rs.getString(9)), password, nn(rs.getString(11)));
    return new Addon(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5), rs.getString(6),
        rs.getString(7), cr, rs.getTimestamp(12).toInstant());
  }

  private static String nn(String s) {
    return s == null ? "" : s;
  }

  private void update(String sql, Object... args) {
    db.transaction(c -> {
      run(c, sql, args);
      return null;
    });
  }

  private static void run(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
      ps.executeUpdate();
    }
  }
}
