package dev.pier.datastores.postgres;

import dev.pier.datastores.Backups;
import dev.pier.datastores.Credentials;
import dev.pier.datastores.DatastoreException;
import dev.pier.datastores.Plan;
import dev.pier.datastores.StoreSpec;
import dev.pier.datastores.run.Binaries;
import dev.pier.datastores.run.DataDir;
import dev.pier.datastores.run.Host;
import dev.pier.datastores.run.Secrets;
import dev.pier.datastores.run.ServerDatastore;
import dev.pier.datastores.run.ServerLaunch;
import dev.pier.datastores.run.ServerSupervisor;
import dev.pier.datastores.run.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PostgreSQL 15 add-ons: one cluster (initdb) per add-on in its data dir, run as the add-on's uid
 * on 127.0.0.1:port, holding one database owned by one app role. pg_hba admits only that role to
 * that database over TCP from 127.0.0.1 with scram-sha-256, and Pier's superuser only through the
 * unix socket in the add-on's 0700 folder.
 */
public final class PostgresDatastore extends ServerDatastore {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private final PostgresBackups backups = new PostgresBackups();

  /** Where the write-ahead log's folder is in the sandbox. */
  static final String WAL = "/wal";

  public PostgresDatastore(Host host) {
    super(host, "postgres", PostgresPlans.ALL, START_TIMEOUT);
  }

  @Override
  protected void requireBinaries() throws DatastoreException {
    Binaries.require("postgresql-15", "/usr/lib/postgresql/15/bin/initdb", "/usr/lib/postgresql/15/bin/postgres",
        "/usr/bin/psql", "/usr/bin/pg_dump");
  }

  /** initdb, then the app's role and database, made by Pier's superuser on a server started for it. */
  @Override
  protected void setUp(StoreSpec spec, Credentials credentials) throws DatastoreException {
    DataDir.mkdir(spec, "run");
    var init = host.run(spec, new ServerLaunch(
        List.of("initdb", "-D", "/app/pgdata", "--waldir=" + WAL + "/pg_wal", "-U", PostgresAdmin.ADMIN, "-E", "UTF8",
            "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=reject", "--no-instructions", "--no-sync"),
        Map.of(), "initdb", walMount(spec)), Duration.ofSeconds(120));
    if (!init.ok()) {
      throw new DatastoreException("initdb failed: " + dev.pier.datastores.run.Logs.lastLines(init.output(), 5));
    }
    writeConfig(spec, credentials);
    ServerSupervisor server = supervisor(spec);
    try {
      server.start();
      server.awaitReady(() -> PostgresAdmin.ready(spec), START_TIMEOUT);
      PostgresAdmin.sql(spec, "postgres",
          "CREATE ROLE " + credentials.user() + " LOGIN CONNECTION LIMIT " + spec.plan().maxConnections()
              + " PASSWORD '" + credentials.password() + "';\n"
              + "CREATE DATABASE " + credentials.path() + " OWNER " + credentials.user() + ";\n"
              + "REVOKE ALL ON DATABASE postgres FROM PUBLIC;\n"
              + "REVOKE ALL ON DATABASE template1 FROM PUBLIC;\n");
      PostgresAdmin.sql(spec, credentials.path(), "REVOKE CREATE ON SCHEMA public FROM PUBLIC;\n"
          + "ALTER SCHEMA public OWNER TO " + credentials.user() + ";\n");
    } finally {
      server.stop();
    }
  }

  /** pg_hba.conf and the settings the plan decides (rewritten at each start: a new plan applies). */
  private static void writeConfig(StoreSpec spec, Credentials c) throws DatastoreException {
    Plan plan = spec.plan();
    long kb = plan.memoryBytes() / 1024;
    DataDir.write(spec, "pgdata/pg_hba.conf",
        "# Written by Pier: its superuser over the socket in the add-on's own folder, the app role over TCP.\n"
            + "local all " + PostgresAdmin.ADMIN + " trust\n"
            + "host " + c.path() + " " + PostgresAdmin.owner(c.user()) + "," + PostgresAdmin.owner(c.user())
            + PostgresAdmin.SECOND + " 127.0.0.1/32 scram-sha-256\n");
    DataDir.write(spec, "pgdata/postgresql.auto.conf",
        "# Written by Pier from the add-on's plan (" + plan.name() + ")\n"
            + "listen_addresses = '127.0.0.1'\n"
            + "port = " + spec.port() + "\n"
            + "unix_socket_directories = '/app/run'\n"
            + "unix_socket_permissions = 0700\n"
            + "max_connections = " + (plan.maxConnections() + 5) + "\n"
            + "superuser_reserved_connections = 3\n"
            + "shared_buffers = " + Math.max(16 * 1024, kb / 4) + "kB\n"
            + "effective_cache_size = " + Math.max(32 * 1024, kb / 2) + "kB\n"
            + "work_mem = " + Math.max(1024, kb / 64) + "kB\n"
            + "maintenance_work_mem = " + Math.max(8 * 1024, kb / 16) + "kB\n"
            + "dynamic_shared_memory_type = mmap\n"
            + "max_wal_size = " + Math.max(64, Math.min(1024, plan.storageBytes() / 8 >> 20)) + "MB\n"
            + "min_wal_size = 32MB\n"
            + "huge_pages = off\n"
            + "password_encryption = 'scram-sha-256'\n"
            + "logging_collector = off\n"
            + "log_line_prefix = '%m [%p] '\n");
  }

  @Override
  protected ServerLaunch launch(StoreSpec spec) {
    return new ServerLaunch(List.of("postgres", "-D", "/app/pgdata"), Map.of(), "postgres", walMount(spec));
  }

  /**
   * The write-ahead log lives beside the add-on's disk ({@code NAME.wal}, the add-on uid's 0700
   * folder on the data disk), not on it: tables that fill the plan's storage then fail their
   * writes with an error, while the log, which every write and every recovery needs, still has
   * room (a full log would stop PostgreSQL, and no restart could recover). Its size is kept down
   * by {@code max_wal_size}.
   */
  @Override
  protected List<java.nio.file.Path> outsideDisk(StoreSpec spec) {
    return List.of(walDir(spec));
  }

  static java.nio.file.Path walDir(StoreSpec spec) {
    return spec.dataDir().resolveSibling(spec.dataDir().getFileName() + ".wal");
  }

  private static List<dev.pier.sandbox.Mount> walMount(StoreSpec spec) {
    return List.of(dev.pier.sandbox.Mount.writable(walDir(spec), WAL));
  }

  /** SIGINT: PostgreSQL's fast shutdown (open transactions are rolled back, the server exits cleanly). */
  @Override
  protected String stopSignal() {
    return "INT";
  }

  @Override
  protected void beforeStart(StoreSpec spec, Credentials saved) throws DatastoreException {
    writeConfig(spec, saved);
  }

  @Override
  protected boolean ready(StoreSpec spec, Credentials saved) {
    return PostgresAdmin.ready(spec);
  }

  /** Puts right what a restore cut off by a kill -9 left. */
  @Override
  protected void afterStart(StoreSpec spec, Credentials credentials) throws DatastoreException {
    PostgresBackups.repair(spec, credentials.path());
  }

  @Override
  public Credentials rotate(StoreSpec spec, Credentials current) throws DatastoreException {
    Credentials next = new Credentials(current.host(), current.port(), current.user(), Secrets.password(), current.path());
    PostgresAdmin.sql(spec, "postgres", "ALTER ROLE " + current.user() + " PASSWORD '" + next.password() + "';");
    Settings.saveCredentials(spec, next);
    return next;
  }

  /**
   * PostgreSQL holds one password per role, so the two credentials of a rotation are two login
   * roles: the owner and {@code OWNER_b}, a member of it whose sessions start with {@code SET ROLE
   * OWNER} (same rights, objects it makes owned by the owner). Each rotation gives the role not
   * in use a new password and moves the app onto it; {@link #retirePassword} then clears the old
   * role's password. Both roles stay in pg_hba.
   */
  @Override
  public Credentials addPassword(StoreSpec spec, Credentials current) throws DatastoreException {
    String owner = PostgresAdmin.owner(current.user());
    String second = owner + PostgresAdmin.SECOND;
    String user = current.user().equals(owner) ? second : owner;
    Credentials next = new Credentials(current.host(), current.port(), user, Secrets.password(), current.path());
    writeConfig(spec, next);
    PostgresAdmin.sql(spec, "postgres",
        "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + second + "') THEN CREATE ROLE "
            + second + " LOGIN IN ROLE " + owner + "; END IF; END$$;\n"
            + "ALTER ROLE " + second + " CONNECTION LIMIT " + spec.plan().maxConnections() + ";\n"
            + "ALTER ROLE " + second + " SET role = " + owner + ";\n"
            + "ALTER ROLE " + user + " PASSWORD '" + next.password() + "';\n"
            + "SELECT pg_reload_conf();\n");
    Settings.saveCredentials(spec, next);
    return next;
  }

  @Override
  public void retirePassword(StoreSpec spec, Credentials old, Credentials next) throws DatastoreException {
    if (old.user().equals(next.user())) return;
    PostgresAdmin.sql(spec, "postgres", "ALTER ROLE " + old.user() + " PASSWORD NULL;");
  }

  @Override
  protected Reading read(StoreSpec spec, Credentials credentials) throws DatastoreException {
    String[] row = PostgresAdmin.sql(spec, "postgres",
        "SELECT (SELECT count(*) FROM pg_stat_activity WHERE datname = '" + credentials.path() + "'), "
            + "pg_database_size('" + credentials.path() + "'), current_setting('server_version')").split("\\|");
    return new Reading(Integer.parseInt(row[0]), Long.parseLong(row[1]), "PostgreSQL " + row[2].split(" ")[0]);
  }

  @Override
  public Map<String, String> configVars(Credentials c) {
    return Map.of("URL", "postgres://" + c.user() + ":" + c.password() + "@" + c.host() + ":" + c.port() + "/" + c.path());
  }

  @Override
  public Optional<Backups> backups() {
    return Optional.of(backups);
  }
}
