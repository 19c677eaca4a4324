package dev.pier.datastores.postgres;

import dev.pier.datastores.DatastoreException;
import dev.pier.datastores.StoreSpec;
import dev.pier.datastores.run.Commands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pier's own access to an add-on's PostgreSQL: the superuser {@code pier} through the unix socket
 * in {@code DATA/run}, a folder only the add-on's uid (and root) may enter; pg_hba trusts that
 * socket for {@code pier} alone, and admits nothing else but the app role over TCP.
 */
final class PostgresAdmin {
  static final String ADMIN = "pier";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private PostgresAdmin() {}

  static Path socketDir(StoreSpec spec) {
    return spec.dataDir().resolve("run");
  }

  /** Connection options for psql, pg_dump and pg_restore. */
  static List<String> connection(StoreSpec spec, String database) {
    return List.of("-h", socketDir(spec).toString(), "-p", Integer.toString(spec.port()), "-U", ADMIN, "-d", database);
  }

  /** Runs SQL as the admin on {@code database}; returns psql's unaligned output. */
  static String sql(StoreSpec spec, String database, String sql) throws DatastoreException {
    List<String> argv = new ArrayList<>(List.of("psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"));
    argv.addAll(connection(spec, database));
    return Commands.check(argv, Map.of("PGCONNECT_TIMEOUT", "5"), sql, TIMEOUT).strip();
  }

  /** Suffix of the app role's second login role, which rotations alternate with the owner. */
  static final String SECOND = "_b";

  /**
   * The role that owns the database and its objects, for the login role {@code user}: the
   * owner itself, or the second login role ({@code OWNER_b}), a member of the owner whose
   * sessions start with {@code SET ROLE OWNER}.
   */
  static String owner(String user) {
    return user.endsWith(SECOND) ? user.substring(0, user.length() - SECOND.length()) : user;
  }

  /** True when the server answers the admin. */
  static boolean ready(StoreSpec spec) {
    try {
      List<String> argv = new ArrayList<>(List.of("psql", "-X", "-q", "-At", "-c", "select 1"));
      argv.addAll(connection(spec, "postgres"));
      return Commands.run(argv, Map.of("PGCONNECT_TIMEOUT", "2"), null, Duration.ofSeconds(5)).ok();
    } catch (DatastoreException e) {
      return false;
    }
  }
}
