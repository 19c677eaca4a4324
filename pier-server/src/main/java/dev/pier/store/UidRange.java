package dev.pier.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Where a data directory's app uids start. Each directory gets its own block of {@value #SIZE}
 * uids, picked by a hash of its path among {@value #SLOTS} blocks from {@value #FIRST}, so two Pier
 * servers on one machine (a staging and a production one, or tests) almost never hand out the same
 * uid, and per-uid rules (file ownership, the network guard's nftables sets) of one never apply to
 * the other's apps. Databases whose uid sequence has already been used keep their uids (the first
 * databases started at {@value #LEGACY_START}).
 */
final class UidRange {
  static final int LEGACY_START = 61_000;
  static final int FIRST = 100_000;
  static final int SLOTS = 9_000;
  static final int SIZE = 1_000;

  private UidRange() {}

  /** The first uid of {@code dataDir}'s block. */
  static int startFor(Path dataDir) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(dataDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
      int value = ((hash[0] & 0xff) << 24) | ((hash[1] & 0xff) << 16) | ((hash[2] & 0xff) << 8) | (hash[3] & 0xff);
      return FIRST + Math.floorMod(value, SLOTS) * SIZE;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Moves a never-used uid sequence to {@code dataDir}'s block; leaves a used one alone. */
  static void apply(Connection c, Path dataDir) throws SQLException {
    long next;
    try (ResultSet rs = c.createStatement().executeQuery(
        "SELECT BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_NAME = 'APP_UID'")) {
      if (!rs.next()) return;
      next = rs.getLong(1);
    }
    if (next != LEGACY_START) return;
    try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM apps")) {
      rs.next();
      if (rs.getLong(1) > 0) return;
    }
    c.createStatement().execute("ALTER SEQUENCE app_uid RESTART WITH " + startFor(dataDir));
  }
}
