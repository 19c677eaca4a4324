package dev.pier.certs;

import dev.pier.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Persistence of the certificates apps brought (table {@code app_certificates}, V21). */
public final class CertStore {
  private static final String COLUMNS = "id, app, names, issuer, not_after, cert_pem, key_pem";
  private final Database db;

  public CertStore(Database db) {
    this.db = db;
  }

  /** Stores a certificate of {@code app}; returns it with its new id. */
  public StoredCertificate add(String app, List<String> names, String issuer, Instant notAfter,
      String certPem, String keyPem, Instant now) {
    long id = db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO app_certificates (app, names,"
          + " issuer, not_after, cert_pem, key_pem, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
          Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, app);
        ps.setString(2, String.join(" ", names));
        ps.setString(3, issuer);
        ps.setTimestamp(4, Timestamp.from(notAfter));
        ps.setString(5, certPem);
        ps.setString(6, keyPem);
        ps.setTimestamp(7, Timestamp.from(now));
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          keys.next();
          return keys.getLong(1);
        }
      }
    });
    return new StoredCertificate(id, app, names, issuer, notAfter, certPem, keyPem);
  }

  /** The certificates of {@code app}, oldest first. */
  public List<StoredCertificate> of(String app) {
    return select(" WHERE app = ?", app);
  }

  /** Every app's certificates, oldest first. */
  public List<StoredCertificate> all() {
    return select("", null);
  }

  /** Removes certificate {@code id} of {@code app}; false when it has none by that id. */
  public boolean remove(String app, long id) {
    return db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM app_certificates WHERE app = ? AND id = ?")) {
        ps.setString(1, app);
        ps.setLong(2, id);
        return ps.executeUpdate() > 0;
      }
    });
  }

  private List<StoredCertificate> select(String where, String app) {
    return db.query(c -> {
      List<StoredCertificate> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + COLUMNS + " FROM app_certificates" + where + " ORDER BY id")) {
        if (app != null) ps.setString(1, app);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new StoredCertificate(rs.getLong(1), rs.getString(2),
                Arrays.asList(rs.getString(3).split(" ")), rs.getString(4),
                rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getString(7)));
          }
        }
      }
      return out;
    });
  }
}
