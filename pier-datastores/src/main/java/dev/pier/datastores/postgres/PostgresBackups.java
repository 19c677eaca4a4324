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
    PostgresAdmin.sql(spec, "postgres", "DROP DATABASE " + db + " WITH (FORCE);");
    PostgresAdmin.sql(spec, "postgres", "ALTER DATABASE " + fresh + " RENAME TO " + db + ";");
  }

  private static void deleteQuietly(Path target) {
    try {
      Files.deleteIfExists(target);
    } catch (IOException e) {
      // Nothing more to do: the caller's folder is cleaned by the caller.
    }
  }
}
