package dev.pier.datastores.memcached;

import dev.pier.datastores.Credentials;
import dev.pier.datastores.DatastoreException;
import dev.pier.datastores.Plan;
import dev.pier.datastores.StoreSpec;
import dev.pier.datastores.run.Binaries;
import dev.pier.datastores.run.Commands;
import dev.pier.datastores.run.DataDir;
import dev.pier.datastores.run.Host;
import dev.pier.datastores.run.Secrets;
import dev.pier.datastores.run.ServerLaunch;
import dev.pier.datastores.run.ServerDatastore;
import dev.pier.datastores.run.Settings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * memcached add-ons: one memcached per add-on on 127.0.0.1:port with SASL on ({@code -S}: binary
 * protocol only, PLAIN against a sasldb in the add-on's folder, as MemCachier's clients expect),
 * {@code -m} at 3/4 of the plan's memory and {@code -c} its connections. A cache: nothing on disk
 * but its password database, and it starts empty after every restart.
 */
public final class MemcachedDatastore extends ServerDatastore {
  private static final long MIB = 1L << 20;
  private static final List<Plan> PLANS = List.of(
      new Plan("small", 64 * MIB, 100, 0),
      new Plan("medium", 256 * MIB, 500, 0),
      new Plan("large", 1024 * MIB, 2000, 0));
  private static final String SASLDB = "sasldb2";

  public MemcachedDatastore(Host host) {
    super(host, "memcached", PLANS, Duration.ofSeconds(30));
  }

  @Override
  protected void requireBinaries() throws DatastoreException {
    Binaries.require("memcached and sasl2-bin", "/usr/bin/memcached", "/usr/sbin/saslpasswd2");
  }

  @Override
  protected Credentials newCredentials(StoreSpec spec) {
    return new Credentials("127.0.0.1", spec.port(), Secrets.name(), Secrets.password(), "");
  }

  @Override
  protected void setUp(StoreSpec spec, Credentials credentials) throws DatastoreException {
    DataDir.mkdir(spec, "sasl");
    DataDir.write(spec, "sasl/memcached.conf", "mech_list: plain\nsasldb_path: /app/" + SASLDB + "\n");
    setPassword(spec, credentials, true);
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

  @Override
  protected ServerLaunch launch(StoreSpec spec) {
    Plan plan = spec.plan();
    List<String> command = List.of("memcached", "-l", "127.0.0.1", "-p", Integer.toString(spec.port()), "-U", "0",
        "-m", Long.toString(Math.max(8, plan.memoryBytes() * 3 / 4 / MIB)), "-c", Integer.toString(plan.maxConnections()),
        "-S");
    return new ServerLaunch(command, Map.of("SASL_CONF_PATH", "/app/sasl"), "memcached");
  }

  @Override
  protected boolean ready(StoreSpec spec, Credentials c) {
    try (MemcachedBinary m = new MemcachedBinary("127.0.0.1", spec.port())) {
      return m.authenticate(c.user(), c.password()) == MemcachedBinary.OK;
    } catch (IOException e) {
      return false;
    }
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
    String user = otherUser(current.user());
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

  /** A cache: nothing of it is on disk. */
  @Override
  protected Reading idle(StoreSpec spec) {
    return new Reading(-1, 0, "");
  }

  @Override
  protected Reading read(StoreSpec spec, Credentials credentials) throws IOException {
    try (MemcachedBinary m = new MemcachedBinary("127.0.0.1", spec.port())) {
      if (m.authenticate(credentials.user(), credentials.password()) != MemcachedBinary.OK) return idle(spec);
      Map<String, String> stats = m.stats();
      // memcached counts its listening socket and Pier's own status connection.
      int connections = Math.max(0, Integer.parseInt(stats.getOrDefault("curr_connections", "2")) - 2);
      return new Reading(connections, 0, "memcached " + stats.getOrDefault("version", ""));
    }
  }

  @Override
  public Map<String, String> configVars(Credentials c) {
    return Map.of("SERVERS", c.host() + ":" + c.port(), "USERNAME", c.user(), "PASSWORD", c.password());
  }
}
