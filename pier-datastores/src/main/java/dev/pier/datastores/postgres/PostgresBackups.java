package dev.pier.datastores.postgres;

import dev.pier.datastores.Backups;
import dev.pier.datastores.Credentials;
import dev.pier.datastores.DatastoreException;
import dev.pier.datastores.StoreSpec;
import dev.pier.datastores.run.Commands;
import dev.pier.datastores.run.Logs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * pg_dump in custom format as Pier's superuser through the add-on's socket; restore goes into a
 * fresh database that replaces the app's only once pg_restore succeeded, so a bad backup leaves
 * the data as it was. Apps' connections are cut at the swap.
 */
final class PostgresBackups implements Backups {
  private static final Duration TIMEOUT = Duration.ofHours(6);

  @Override
  public long capture(StoreSpec spec, Credentials credentials, Path target) throws DatastoreException {
    List<String> argv = new ArrayList<>(List.of("pg_dump", "-Fc", "-f", target.toString()));
    argv.addAll(PostgresAdmin.connection(spec, credentials.path()));
    Commands.Result r;
    try {
      r = Commands.run(argv, Map.of(), null, TIMEOUT);
    } catch (DatastoreException e) {
      deleteQuietly(target);
      throw e;
    }
    if (!r.ok()) {
      deleteQuietly(target);
      String why = r.output().contains("No space left on device")
          ? "no space left on the backup disk"
          : Logs.lastLines(r.output(), 3);
      throw new DatastoreException("backup failed: " + why);
    }
    try {
      return Files.size(target);
    } catch (IOException e) {
      throw new DatastoreException("backup failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void restore(StoreSpec spec, Credentials credentials, Path source) throws DatastoreException {
    if (!Files.isRegularFile(source)) throw new DatastoreException("no backup at " + source.getFileName());
    String db = credentials.path();
    String fresh = db + "_restore";
    PostgresAdmin.sql(spec, "postgres", "DROP DATABASE IF EXISTS " + fresh + " WITH (FORCE);");
    PostgresAdmin.sql(spec, "postgres", "CREATE DATABASE " + fresh + " OWNER " + PostgresAdmin.owner(credentials.user()) + ";");
    List<String> argv = new ArrayList<>(List.of("pg_restore", "--exit-on-error"));
    argv.addAll(PostgresAdmin.connection(spec, fresh));
    argv.add(source.toString());
    Commands.Result r = Commands.run(argv, Map.of(), null, TIMEOUT);
    if (!r.ok()) {
      PostgresAdmin.sql(spec, "postgres", "DROP DATABASE IF EXISTS " + fresh + " WITH (FORCE);");
      throw new DatastoreException("restore failed, the data is as it was: " + Logs.lastLines(r.output(), 3));
    }
    // Never a moment without the database: the old one is renamed away, the new one takes its
    // name, then the old one goes; a kill -9 in between is put right by repair at the next start.
    String old = db + "_old";
    PostgresAdmin.sql(spec, "postgres", "DROP DATABASE IF EXISTS " + old + " WITH (FORCE);\n"
        + "ALTER DATABASE " + db + " ALLOW_CONNECTIONS false;\n"
        + "SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity WHERE datname = '" + db + "';\n"
        + "ALTER DATABASE " + db + " RENAME TO " + old + ";\n"
        + "ALTER DATABASE " + fresh + " RENAME TO " + db + ";");
    PostgresAdmin.sql(spec, "postgres", "DROP DATABASE " + old + " WITH (FORCE);");
  }

  /**
   * Puts right what a restore cut off by a kill -9 left (run at each start): when the app's
   * database is missing, the one renamed away ({@code DB_old}) takes its name back (the data as it
   * was before the restore; a database of the older drop-then-rename order, {@code DB_restore},
   * when there is no {@code DB_old}); leftovers are dropped.
   */
  static void repair(StoreSpec spec, String db) throws DatastoreException {
    String old = db + "_old";
    String fresh = db + "_restore";
    List<String> present = PostgresAdmin.sql(spec, "postgres", "SELECT datname FROM pg_database WHERE datname IN ('"
        + db + "', '" + old + "', '" + fresh + "');").lines().map(String::strip).toList();
    StringBuilder fix = new StringBuilder();
    if (!present.contains(db)) {
      String back = present.contains(old) ? old : present.contains(fresh) ? fresh : null;
      if (back == null) return; // nothing to bring back: leave it for an operator to see
      fix.append("ALTER DATABASE ").append(back).append(" RENAME TO ").append(db).append(";\n");
      fix.append("ALTER DATABASE ").append(db).append(" ALLOW_CONNECTIONS true;\n");
      if (back.equals(old) && present.contains(fresh)) fix.append("DROP DATABASE ").append(fresh).append(" WITH (FORCE);\n");
    } else {
      if (present.contains(old)) fix.append("DROP DATABASE ").append(old).append(" WITH (FORCE);\n");
      if (present.contains(fresh)) fix.append("DROP DATABASE ").append(fresh).append(" WITH (FORCE);\n");
    }
    if (!fix.isEmpty()) PostgresAdmin.sql(spec, "postgres", fix.toString());
  }

  private static void deleteQuietly(Path target) {
    try {
      Files.deleteIfExists(target);
    } catch (IOException e) {
      // Nothing more to do: the caller's folder is cleaned by the caller.
    }
  }
}
