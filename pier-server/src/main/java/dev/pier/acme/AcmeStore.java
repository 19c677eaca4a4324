package dev.pier.acme;

import dev.pier.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Persistence of automatic certificates (tables {@code acme_apps}, {@code acme_certificates}, V25). */
public final class AcmeStore {
  private static final String COLUMNS = "hostname, app, cert_pem, key_pem, issuer, not_before,"
      + " not_after, failures, reason, next_attempt";
  private final Database db;

  public AcmeStore(Database db) {
    this.db = db;
  }

  /** The last order's outcome for a host name: a certificate, a failure, or both (a renewal failed). */
  public record Row(String hostname, String app, String certPem, String keyPem, String issuer,
      Instant notBefore, Instant notAfter, int failures, String reason, Instant nextAttempt) {
    boolean hasCertificate() {
      return certPem != null;
    }
  }

  /** Turns automatic certificates on for {@code app}; false if they already were. */
  public boolean enable(String app, Instant now) {
    return db.transaction(c -> {
      try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM acme_apps WHERE app = ?")) {
        q.setString(1, app);
        try (ResultSet rs = q.executeQuery()) {
          if (rs.next()) return false;
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO acme_apps (app, enabled_at) VALUES (?, ?)")) {
        ps.setString(1, app);
        ps.setTimestamp(2, Timestamp.from(now));
        return ps.executeUpdate() > 0;
      }
    });
  }

  /** Turns them off and forgets the app's certificates; false if they were off. */
  public boolean disable(String app) {
    return db.transaction(c -> {
      try (PreparedStatement rows = c.prepareStatement("DELETE FROM acme_certificates WHERE app = ?");
           PreparedStatement ps = c.prepareStatement("DELETE FROM acme_apps WHERE app = ?")) {
        rows.setString(1, app);
        rows.executeUpdate();
        ps.setString(1, app);
        return ps.executeUpdate() > 0;
      }
    });
  }

  public boolean enabled(String app) {
    return db.query(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM acme_apps WHERE app = ?")) {
        ps.setString(1, app);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  /** The apps with automatic certificates on. */
  public List<String> enabledApps() {
    return db.query(c -> {
      List<String> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT app FROM acme_apps ORDER BY app");
           ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(rs.getString(1));
      }
      return out;
    });
  }

  public Optional<Row> find(String hostname) {
    List<Row> rows = select(" WHERE hostname = ?", hostname);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
  }

  /** Every row, by host name. */
  public List<Row> all() {
    return select("", null);
  }

  /** Records a new certificate for {@code hostname} (clears any failure). */
  public void issued(String hostname, String app, String certPem, String keyPem, String issuer,
      Instant notBefore, Instant notAfter, Instant now) {
    upsert(new Row(hostname, app, certPem, keyPem, issuer, notBefore, notAfter, 0, null, null), now);
  }

  /** Records a failed order: the certificate it had stays. */
  public void failed(String hostname, String app, String reason, Instant nextAttempt, Instant now) {
    Row before = find(hostname).filter(r -> r.app().equals(app)).orElse(null);
    upsert(new Row(hostname, app, before == null ? null : before.certPem(),
        before == null ? null : before.keyPem(), before == null ? null : before.issuer(),
        before == null ? null : before.notBefore(), before == null ? null : before.notAfter(),
        before == null ? 1 : before.failures() + 1, reason, nextAttempt), now);
  }

  /** Forgets {@code hostname} (no longer a custom domain of an app with automatic certificates). */
  public void remove(String hostname) {
    db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM acme_certificates WHERE hostname = ?")) {
        ps.setString(1, hostname);
        return ps.executeUpdate();
      }
    });
  }

  private void upsert(Row r, Instant now) {
    db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("MERGE INTO acme_certificates (" + COLUMNS
          + ", updated_at) KEY (hostname) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, r.hostname());
        ps.setString(2, r.app());
        ps.setString(3, r.certPem());
        ps.setString(4, r.keyPem());
        ps.setString(5, r.issuer());
        ps.setTimestamp(6, ts(r.notBefore()));
        ps.setTimestamp(7, ts(r.notAfter()));
        ps.setInt(8, r.failures());
        ps.setString(9, r.reason() == null ? null
            : r.reason().substring(0, Math.min(2000, r.reason().length())));
        ps.setTimestamp(10, ts(r.nextAttempt()));
        ps.setTimestamp(11, Timestamp.from(now));
        return ps.executeUpdate();
      }
    });
  }

  private List<Row> select(String where, String arg) {
    return db.query(c -> {
      List<Row> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + COLUMNS + " FROM acme_certificates" + where + " ORDER BY hostname")) {
        if (arg != null) ps.setString(1, arg);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) out.add(row(rs));
        }
      }
      return out;
    });
  }

  private static Row row(ResultSet rs) throws SQLException {
    return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
        rs.getString(5), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7)), rs.getInt(8),
        rs.getString(9), instant(rs.getTimestamp(10)));
  }

  private static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
