package dev.pier.datastores;

import java.nio.file.Path;

/** Logical backups of an add-on (PostgreSQL: pg_dump in custom format, pg_restore). */
public interface Backups {
  /**
   * Writes a backup of the add-on's data to {@code target} (a new file; the caller picks the
   * folder and renames it into place when this returns). The server keeps serving meanwhile; a
   * full disk fails the backup with a clear message and deletes the partial file, and never
   * harms the running server.
   *
   * @return the size of the backup in bytes
   */
  long capture(StoreSpec spec, Credentials credentials, Path target) throws DatastoreException;

  /**
   * Replaces the add-on's data with the backup in {@code source}: what the backup holds comes
   * back, rows made after it are gone. Connections of apps are cut while it runs.
   */
  void restore(StoreSpec spec, Credentials credentials, Path source) throws DatastoreException;
}
