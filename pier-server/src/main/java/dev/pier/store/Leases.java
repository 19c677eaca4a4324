package dev.pier.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exclusive, expiring rights kept in the store (a row per name: holder and expiry), as
 * Kubernetes' leases: whoever holds one renews it while working; if the holder dies its lease
 * expires after {@code ttl} and another may take it. Taking and renewing are single conditional
 * statements, so two servers on one store never both hold a name.
 *
 * <p>The embedded store has one server: at its start, leases left by a killed predecessor are
 * cleared at once ({@link #clearAll}) instead of waiting for them to expire.
 */
public final class Leases implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Leases.class);

  private final Database db;
  private final InstantSource clock;
  private final Duration ttl;
  private final String holder;
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final Thread renewer;
  private volatile boolean closed;

  public Leases(Database db, InstantSource clock, Duration ttl) {
    this.db = db;
    this.clock = clock;
    this.ttl = ttl;
    this.holder = "server-" + UUID.randomUUID();
    this.renewer = Thread.ofPlatform().daemon().name("pier-leases").start(this::renewLoop);
  }

  /** Who this server is, as written in the leases it holds. */
  public String holder() {
    return holder;
  }

  /** Drops every lease (a single server's start: none of them can still be held). */
  public void clearAll() {
    db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM leases")) {
        return ps.executeUpdate();
      }
    });
  }

  /** Takes {@code name} if nobody holds it (or its lease expired); false when another holds it. */
  public boolean tryAcquire(String name) {
    Instant now = clock.instant();
    boolean got = db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE leases SET holder = ?, expires_at = ? WHERE name = ? AND (holder = ? OR expires_at < ?)")) {
        ps.setString(1, holder);
        ps.setTimestamp(2, Timestamp.from(now.plus(ttl)));
        ps.setString(3, name);
        ps.setString(4, holder);
        ps.setTimestamp(5, Timestamp.from(now));
        if (ps.executeUpdate() == 1) return true;
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)")) {
        ps.setString(1, name);
        ps.setString(2, holder);
        ps.setTimestamp(3, Timestamp.from(now.plus(ttl)));
        ps.executeUpdate();
        return true;
      } catch (SQLException duplicate) {
        if (duplicate.getErrorCode() == org.h2.api.ErrorCode.DUPLICATE_KEY_1) return false;
        throw duplicate;
      }
    });
    if (got) held.add(name);
    return got;
  }

  /** The holder of {@code name} now, if its lease has not expired. */
  public java.util.Optional<String> holderOf(String name) {
    Instant now = clock.instant();
    return db.query(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT holder FROM leases WHERE name = ? AND expires_at >= ?")) {
        ps.setString(1, name);
        ps.setTimestamp(2, Timestamp.from(now));
        try (var rs = ps.executeQuery()) {
          return rs.next() ? java.util.Optional.of(rs.getString(1)) : java.util.Optional.<String>empty();
        }
      }
    });
  }

  /** Gives {@code name} back (only if this server holds it). */
  public void release(String name) {
    held.remove(name);
    db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM leases WHERE name = ? AND holder = ?")) {
        ps.setString(1, name);
        ps.setString(2, holder);
        return ps.executeUpdate();
      }
    });
  }

  /** Extends this server's lease on {@code name}; false when it holds none (released or lost). */
  private boolean renew(String name) {
    Instant now = clock.instant();
    return db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ?")) {
        ps.setTimestamp(1, Timestamp.from(now.plus(ttl)));
        ps.setString(2, name);
        ps.setString(3, holder);
        return ps.executeUpdate() == 1;
      }
    });
  }

  private void renewLoop() {
    long every = Math.max(50, ttl.toMillis() / 3);
    while (!closed) {
      try {
        Thread.sleep(every);
      } catch (InterruptedException e) {
        return;
      }
      for (String name : held) {
        try {
          if (!renew(name) && held.contains(name)) {
            held.remove(name);
            LOG.error("lost the lease {} to another holder", name);
          }
        } catch (RuntimeException e) {
          if (!closed) LOG.warn("renewing lease {} failed: {}", name, e.toString());
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    renewer.interrupt();
  }
}
