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
 * <p>Durability: {@link #transaction} returns only once the change is on the disk. H2's
 * {@code WRITE_DELAY=0} makes every commit write its chunk to the file at once (so a killed
 * process loses nothing it acknowledged), but H2 never forces the file to the device, so a power
 * loss could still take back acknowledged commits. After each committed write transaction,
 * {@code CHECKPOINT SYNC} therefore writes and fsyncs the store before the caller acknowledges
 * anything.
 */
public final class Database implements AutoCloseable {
  private final JdbcConnectionPool pool;

  private Database(JdbcConnectionPool pool) {
    this.pool = pool;
  }

  /** Opens (creating if needed) the database in {@code dir} and applies pending migrations. */
  public static Database open(Path dir) {
    try {
      Files.createDirectories(dir);
      String url = "jdbc:h2:file:" + dir.resolve("pier").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
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
      c.createStatement().execute("SHUTDOWN");
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
