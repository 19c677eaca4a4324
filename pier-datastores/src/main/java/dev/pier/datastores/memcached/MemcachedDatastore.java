package dev.pier.datastores.memcached;

import dev.pier.datastores.Credentials;
import dev.pier.datastores.Datastore;
import dev.pier.datastores.DatastoreException;
import dev.pier.datastores.Plan;
import dev.pier.datastores.Status;
import dev.pier.datastores.StoreSpec;
import dev.pier.datastores.run.Commands;
import dev.pier.datastores.run.DataDir;
import dev.pier.datastores.run.Host;
import dev.pier.datastores.run.Secrets;
import dev.pier.datastores.run.ServerLaunch;
import dev.pier.datastores.run.ServerSupervisor;
import dev.pier.datastores.run.Settings;
import dev.pier.datastores.run.Supervisors;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * memcached add-ons: one memcached per add-on on 127.0.0.1:port with SASL on ({@code -S}: binary
 * protocol only, PLAIN against a sasldb in the add-on's folder, as MemCachier's clients expect),
 * {@code -m} at 3/4 of the plan's memory and {@code -c} its connections. A cache: nothing on disk
 * but its password database, and it starts empty after every restart.
 */
public final class MemcachedDatastore implements Datastore {
  private static final long MIB = 1L << 20;
  private static final List<Plan> PLANS = List.of(
      new Plan("small", 64 * MIB, 100, 0),
      new Plan("medium", 256 * MIB, 500, 0),
      new Plan("large", 1024 * MIB, 2000, 0));
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final String SASLDB = "sasldb2";
  private static final String SECOND = "_b";

  private final Host host;
  private final Supervisors supervisors = new Supervisors();

  public MemcachedDatastore(Host host) {
    this.host = host;
  }

  @Override
  public String kind() {
    return "memcached";
  }

  @Override
  public List<Plan> plans() {
    return PLANS;
  }

  @Override
  public Credentials create(StoreSpec spec) throws DatastoreException {
    if (DataDir.created(spec)) return Settings.credentials(spec);
    dev.pier.datastores.run.Binaries.require("memcached and sasl2-bin", "/usr/bin/memcached", "/usr/sbin/saslpasswd2");
    stop(spec.name());
    try {
      DataDir.recreate(spec);
      DataDir.mkdir(spec, "sasl");
      DataDir.write(spec, "sasl/memcached.conf", "mech_list: plain\nsasldb_path: /app/" + SASLDB + "\n");
      Credentials credentials = new Credentials("127.0.0.1", spec.port(), Secrets.name(), Secrets.password(), "");
      setPassword(spec, credentials, true);
      Settings.saveCredentials(spec, credentials);
      DataDir.markCreated(spec);
      return credentials;
    } catch (DatastoreException | RuntimeException e) {
      try {
        DataDir.delete(spec.dataDir());
      } catch (DatastoreException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** Writes the user's password into the sasldb (which memcached reads at each authentication). */
  private static void setPassword(StoreSpec spec, Credentials c, boolean create) throws DatastoreException {
    var db = spec.dataDir().resolve(SASLDB);
    List<String> argv = create
        ? List.of("/usr/sbin/saslpasswd2", "-p", "-c", "-a", "memcached", "-u", Host.HOSTNAME, "-f", db.toString(), c.user())
        : List.of("/usr/sbin/saslpasswd2", "-p", "-a", "memcached", "-u", Host.HOSTNAME, "-f", db.toString(), c.user());
    Commands.check(argv, Map.of(), c.password(), Duration.ofSeconds(30));
    try {
      java.nio.file.Files.setPosixFilePermissions(db, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      DataDir.chown(spec, db);
    } catch (IOException e) {
      throw new DatastoreException("could not give the password database to the add-on's user", e);
    }
  }

  private ServerSupervisor supervisor(StoreSpec spec) {
    Plan plan = spec.plan();
    List<String> command = List.of("memcached", "-l", "127.0.0.1", "-p", Integer.toString(spec.port()), "-U", "0",
        "-m", Long.toString(Math.max(8, plan.memoryBytes() * 3 / 4 / MIB)), "-c", Integer.toString(plan.maxConnections()),
        "-S");
    return new ServerSupervisor(host, spec, new ServerLaunch(command, Map.of("SASL_CONF_PATH", "/app/sasl"), "memcached"),
        "TERM");
  }

  private static boolean ready(StoreSpec spec, Credentials c) {
    try (MemcachedBinary m = new MemcachedBinary("127.0.0.1", spec.port())) {
      return m.authenticate(c.user(), c.password()) == MemcachedBinary.OK;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void start(StoreSpec spec, Credentials credentials) throws DatastoreException {
    if (supervisors.running(spec.name())) return;
    if (!DataDir.created(spec)) throw new DatastoreException("add-on " + spec.name() + " was never made");
    Credentials saved = Settings.credentials(spec);
    supervisors.start(spec.name(), supervisor(spec), s -> s.awaitReady(() -> ready(spec, saved), START_TIMEOUT));
  }

  @Override
  public void stop(String name) {
    supervisors.stop(name);
  }

  @Override
  public void destroy(StoreSpec spec) throws DatastoreException {
    stop(spec.name());
    DataDir.delete(spec.dataDir());
  }

  @Override
  public Credentials rotate(StoreSpec spec, Credentials current) throws DatastoreException {
    Credentials next = new Credentials(current.host(), current.port(), current.user(), Secrets.password(), "");
    setPassword(spec, next, false);
    Settings.saveCredentials(spec, next);
    return next;
  }

  /**
   * The sasldb holds one password per user, so the two credentials of a rotation are two users,
   * NAME and NAME_b, alternating: the one not in use is made afresh with the new password beside
   * the old one, and {@link #retirePassword} deletes the old user (connections that are already
   * authenticated stay). The cache's data is shared: it belongs to no user.
   */
  @Override
  public Credentials addPassword(StoreSpec spec, Credentials current) throws DatastoreException {
    String base = current.user().endsWith(SECOND) ? current.user().substring(0, current.user().length() - SECOND.length())
        : current.user();
    String user = current.user().equals(base) ? base + SECOND : base;
    Credentials next = new Credentials(current.host(), current.port(), user, Secrets.password(), "");
    deleteUser(spec, user);
    setPassword(spec, next, true);
    Settings.saveCredentials(spec, next);
    return next;
  }

  @Override
  public void retirePassword(StoreSpec spec, Credentials old, Credentials next) throws DatastoreException {
    if (!old.user().equals(next.user())) deleteUser(spec, old.user());
  }

  /** Removes a user from the sasldb; one that is not there is not an error. */
  private static void deleteUser(StoreSpec spec, String user) throws DatastoreException {
    Commands.run(List.of("/usr/sbin/saslpasswd2", "-d", "-a", "memcached", "-u", Host.HOSTNAME, "-f",
        spec.dataDir().resolve(SASLDB).toString(), user), Map.of(), null, Duration.ofSeconds(30));
  }

  @Override
  public Status status(StoreSpec spec, Credentials credentials) {
    Optional<ServerSupervisor> server = supervisors.get(spec.name());
    if (server.isEmpty()) return new Status("stopped", -1, -1, -1, -1, "", 0, "");
    ServerSupervisor s = server.get();
    String state = s.state();
    int connections = -1;
    String version = "";
    if (state.equals("running")) {
      try (MemcachedBinary m = new MemcachedBinary("127.0.0.1", spec.port())) {
        if (m.authenticate(credentials.user(), credentials.password()) == MemcachedBinary.OK) {
          Map<String, String> stats = m.stats();
          version = "memcached " + stats.getOrDefault("version", "");
          // memcached counts its listening socket and Pier's own status connection.
          connections = Math.max(0, Integer.parseInt(stats.getOrDefault("curr_connections", "2")) - 2);
        }
      } catch (IOException | RuntimeException e) {
        // Answered with what is known.
      }
    }
    return new Status(state, s.serverPid().orElse(-1L), s.memoryBytes(), connections, 0, version, s.restarts(),
        s.message());
  }

  @Override
  public Map<String, String> configVars(Credentials c) {
    return Map.of("SERVERS", c.host() + ":" + c.port(), "USERNAME", c.user(), "PASSWORD", c.password());
  }

  @Override
  public void close() {
    supervisors.stopAll();
  }
}
