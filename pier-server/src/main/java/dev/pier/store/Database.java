package dev.pier.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The embedded state store: an H2 database file under the data directory, migrated to the
 * newest schema on open. All access goes through {@link #transaction} or {@link #query}.
 *
 * <p>Durability: {@link #transaction} returns only once the change is on the disk.
 *
 * <ul>
 *   <li>{@code WRITE_DELAY=0}: every commit writes its chunk to the file at once.
 *   <li>{@code REUSE_SPACE=FALSE}: chunks are only ever appended. With space reuse (H2's default),
 *       once old chunks are past the store's 45 s retention time H2 writes new chunks into the
 *       freed blocks at the start of the file without rewriting the file header that recovery
 *       starts from; after a kill -9 H2 then recovers to the last chunk the header's chain
 *       reaches and silently drops every commit after it (seen in {@code CrashConsistencyTest}:
 *       14 s of acknowledged commits, apps included, gone). Appending keeps recovery at the last
 *       complete chunk. The file grows by what is written; it is compacted at a clean stop and,
 *       when it has grown past {@value #COMPACT_ABOVE_BYTES} bytes, at open.
 *   <li>{@code CHECKPOINT SYNC} after each committed write transaction forces the file to the
 *       device (H2 never fsyncs on commit), so a power cut cannot take back what was acknowledged.
 * </ul>
 */
public final class Database implements AutoCloseable {
  private final JdbcConnectionPool pool;

  private Database(JdbcConnectionPool pool) {
    this.pool = pool;
  }

  /** A file larger than this is compacted when it is opened. */
  static final long COMPACT_ABOVE_BYTES = 32L << 20;

  /** Opens (creating if needed) the database in {@code dir} and applies pending migrations. */
  public static Database open(Path dir) {
    try {
      Files.createDirectories(dir);
      String url = "jdbc:h2:file:" + dir.resolve("pier").toAbsolutePath()
          + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;REUSE_SPACE=FALSE";
      Path file = dir.resolve("pier.mv.db");
      if (Files.exists(file) && Files.size(file) > COMPACT_ABOVE_BYTES) compact(url, file);
      JdbcConnectionPool pool = JdbcConnectionPool.create(url, "pier", "");
      pool.setMaxConnections(32);
      Database db = new Database(pool);
      new Migrator(db.dataSource()).migrate();
      db.transaction(c -> {
        UidRange.apply(c, dir);
        return null;
      });
      return db;
    } catch (Exception e) {
      throw new IllegalStateException("cannot open the state database in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Rewrites a grown file compactly. It needs room for a copy: without it (or on any failure)
   * the store opens as it is, so a nearly full disk never keeps the server from starting.
   */
  private static void compact(String url, Path file) {
    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Database.class);
    try {
      long size = Files.size(file);
      if (Files.getFileStore(file).getUsableSpace() < 2 * size) {
        log.warn("state database is {} MB but the disk has too little room to compact it; opening it as it is", size >> 20);
        return;
      }
      try (Connection c = java.sql.DriverManager.getConnection(url, "pier", "")) {
        c.createStatement().execute("SHUTDOWN COMPACT");
      }
    } catch (Exception e) {
      log.warn("compacting the state database failed ({}); opening it as it is", e.getMessage());
    }
  }

  public DataSource dataSource() {
    return pool;
  }

  /** Work run in one transaction; committed when it returns, rolled back when it throws. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  public <T> T transaction(Work<T> work) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      T result;
      try {
        result = work.run(c);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
      c.setAutoCommit(true);
      try (Statement sync = c.createStatement()) {
        sync.execute("CHECKPOINT SYNC");
      } catch (SQLException e) {
        // Committed but not known to be on the device (a disk error, a full disk): the caller
        // must not acknowledge it; the next start's consistency check sees what it left.
        throw new StoreException(new SQLException("the change was committed but could not be forced to disk: "
            + e.getMessage(), e));
      }
      return result;
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  public <T> T query(Work<T> work) {
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  @Override
  public void close() {
    try (Connection c = pool.getConnection()) {
      c.createStatement().execute("SHUTDOWN COMPACT");
    } catch (SQLException ignored) {
      // already closed
    }
    pool.dispose();
  }

  /** An unexpected failure of the state store (not a user error). */
  public static final class StoreException extends RuntimeException {
    StoreException(SQLException cause) {
      super("state store failure: " + cause.getMessage(), cause);
    }
  }
}
