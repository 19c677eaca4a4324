package dev.pier.datastores;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One kind of data store ({@code postgres}, {@code redis}, {@code memcached}, {@code rabbitmq}):
 * makes, runs, supervises and removes the servers of the add-ons of that kind.
 *
 * <p>Every method may block (it runs processes); callers use virtual threads, never an event
 * loop. Implementations are thread-safe; two calls for the same add-on name are not made at
 * once by the server (it serialises per add-on).
 */
public interface Datastore extends AutoCloseable {
  /** The kind this data store makes: {@code postgres}, {@code redis}, {@code memcached}, {@code rabbitmq}. */
  String kind();

  /** The plans of this kind, smallest first; the first is the default. */
  List<Plan> plans();

  /**
   * True when an add-on of {@code plan} cannot keep more than the plan's {@code storageBytes} on
   * disk (writes past it fail with "no space left on device"); false where the limit is not
   * enforced (hosts without loop disks, plans without disk data). The default enforces nothing.
   */
  default boolean storageCapped(Plan plan) {
    return false;
  }

  /**
   * Makes a new add-on's files, data and credentials without leaving it running. Idempotent and
   * crash-safe: called again with the same spec (after a kill -9 of Pier in the middle) it
   * finishes or redoes the work and returns working credentials.
   *
   * @throws DatastoreException with a message for the user when it cannot (binary missing, port
   *     taken, disk full); whatever it made is removed again
   */
  Credentials create(StoreSpec spec) throws DatastoreException;

  /**
   * Starts the add-on's server and keeps it running (restarted with a back-off when it exits)
   * until {@link #stop} or {@link #close}. Returns once it accepts connections with {@code
   * credentials}; a server that does not within its start timeout fails with the reason (the tail
   * of its log). Starting a running add-on is a no-op.
   */
  void start(StoreSpec spec, Credentials credentials) throws DatastoreException;

  /** Stops the add-on's server (it is no longer restarted); a no-op when it is not running. */
  void stop(String name);

  /** Stops the server and deletes its data and files. A no-op for an add-on it never made. */
  void destroy(StoreSpec spec) throws DatastoreException;

  /**
   * Gives the add-on a new password and returns the new credentials, in one step: the old one is
   * refused at once. The server keeps running and serving; connections already open may stay
   * open. Pier's server rotates with {@link #addPassword} and {@link #retirePassword} instead.
   */
  Credentials rotate(StoreSpec spec, Credentials current) throws DatastoreException;

  /**
   * Step one of a rotation without failed requests: returns new credentials that work beside
   * {@code current}, which keeps working until {@link #retirePassword}. The server calls it, rolls
   * every attached app onto the new credentials, then retires the old ones. The default is
   * {@link #rotate}: kinds that cannot hold two passwords refuse the old one at once.
   */
  default Credentials addPassword(StoreSpec spec, Credentials current) throws DatastoreException {
    return rotate(spec, current);
  }

  /**
   * Step two: {@code old} (credentials {@link #addPassword} replaced) stops being accepted for new
   * connections; connections already open stay. Calling it again is a no-op. The default does
   * nothing (the old password is already gone).
   */
  default void retirePassword(StoreSpec spec, Credentials old, Credentials next) throws DatastoreException {}

  /** What the add-on's server is doing now; never throws (an unknown name is {@code stopped}). */
  Status status(StoreSpec spec, Credentials credentials);

  /**
   * The config vars an attached app gets, by suffix: postgres and redis {@code URL}; memcached
   * {@code SERVERS}, {@code USERNAME}, {@code PASSWORD}; rabbitmq {@code URL}. The server turns
   * suffixes into names ({@code DATABASE_URL}, {@code REDIS_URL}, {@code MEMCACHIER_SERVERS},
   * {@code CLOUDAMQP_URL}, or {@code PIER_POSTGRES_AMBER_URL} for a second one).
   */
  Map<String, String> configVars(Credentials credentials);

  /** Backups (pg_dump / pg_restore) when this kind has them. */
  default Optional<Backups> backups() {
    return Optional.empty();
  }

  /** Stops every server this data store started. */
  @Override
  void close();
}
