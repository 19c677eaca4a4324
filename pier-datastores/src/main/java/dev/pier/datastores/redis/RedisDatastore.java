package dev.pier.datastores.redis;

import dev.pier.datastores.Credentials;
import dev.pier.datastores.DatastoreException;
import dev.pier.datastores.Plan;
import dev.pier.datastores.StoreSpec;
import dev.pier.datastores.run.Binaries;
import dev.pier.datastores.run.DataDir;
import dev.pier.datastores.run.Host;
import dev.pier.datastores.run.Secrets;
import dev.pier.datastores.run.ServerLaunch;
import dev.pier.datastores.run.ServerDatastore;
import dev.pier.datastores.run.Settings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Redis 7 add-ons: one redis-server per add-on on 127.0.0.1:port, append-only file in its data
 * dir, {@code maxmemory} at 3/4 of the plan's memory with {@code noeviction} (as Heroku's). The
 * app uses the {@code default} user with a password and every command but the {@code @admin}
 * ones (CONFIG, DEBUG, MODULE, SHUTDOWN, REPLICAOF, ACL, MONITOR, ...); Pier keeps the user
 * {@code pier} for itself, reached only through the unix socket in the add-on's 0700 folder.
 */
public final class RedisDatastore extends ServerDatastore {
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;
  private static final List<Plan> PLANS = List.of(
      new Plan("small", 64 * MIB, 40, 256 * MIB),
      new Plan("medium", 256 * MIB, 200, GIB),
      new Plan("large", 1024 * MIB, 1000, 4 * GIB));
  static final String ADMIN = "pier";

  public RedisDatastore(Host host) {
    super(host, "redis", PLANS, Duration.ofSeconds(30));
  }

  @Override
  protected void requireBinaries() throws DatastoreException {
    Binaries.require("redis-server", "/usr/bin/redis-server");
  }

  @Override
  protected Credentials newCredentials(StoreSpec spec) {
    return new Credentials("127.0.0.1", spec.port(), "", Secrets.password(), "");
  }

  @Override
  protected void setUp(StoreSpec spec, Credentials credentials) throws DatastoreException {
    DataDir.mkdir(spec, "run");
    DataDir.mkdir(spec, "data");
    Properties p = Settings.read(spec);
    p.setProperty("admin.password", Secrets.password());
    Settings.write(spec, p);
    DataDir.write(spec, "users.acl",
        "user default on >" + credentials.password() + " ~* &* +@all -@admin\n"
            + "user " + ADMIN + " on >" + p.getProperty("admin.password") + " ~* &* +@all\n");
  }

  /** redis.conf from the plan (rewritten at each start: a new plan applies). */
  @Override
  protected void beforeStart(StoreSpec spec, Credentials saved) throws DatastoreException {
    writeConfig(spec);
  }

  private static void writeConfig(StoreSpec spec) throws DatastoreException {
    Plan plan = spec.plan();
    DataDir.write(spec, "redis.conf",
        "# Written by Pier from the add-on's plan (" + plan.name() + ")\n"
            + "bind 127.0.0.1\n"
            + "port " + spec.port() + "\n"
            + "protected-mode yes\n"
            + "unixsocket /app/run/redis.sock\n"
            + "unixsocketperm 700\n"
            + "daemonize no\n"
            + "logfile \"\"\n"
            + "dir /app/data\n"
            + "appendonly yes\n"
            + "appendfsync everysec\n"
            + "maxmemory " + plan.memoryBytes() * 3 / 4 + "\n"
            + "maxmemory-policy noeviction\n"
            + "maxclients " + plan.maxConnections() + "\n"
            + "aclfile /app/users.acl\n"
            + "enable-debug-command no\n"
            + "enable-module-command no\n"
            + "enable-protected-configs no\n");
  }

  @Override
  protected ServerLaunch launch(StoreSpec spec) {
    return new ServerLaunch(List.of("redis-server", "/app/redis.conf"), Map.of(), "redis-server");
  }

  /** Pier's own connection: the admin user through the unix socket. */
  private static Resp admin(StoreSpec spec) throws IOException, DatastoreException {
    Path socket = spec.dataDir().resolve("run/redis.sock");
    Resp r = Resp.unix(socket);
    try {
      Object ok = r.call("AUTH", ADMIN, Settings.read(spec).getProperty("admin.password", ""));
      if (!"OK".equals(ok)) throw new DatastoreException("Pier's admin user was refused by the add-on's Redis");
      return r;
    } catch (IOException | DatastoreException | RuntimeException e) {
      r.close();
      throw e;
    }
  }

  @Override
  protected boolean ready(StoreSpec spec, Credentials saved) {
    try (Resp r = admin(spec)) {
      return "PONG".equals(r.call("PING"));
    } catch (IOException | DatastoreException e) {
      return false;
    }
  }

  @Override
  public Credentials rotate(StoreSpec spec, Credentials current) throws DatastoreException {
    Credentials next = new Credentials(current.host(), current.port(), "", Secrets.password(), "");
    try (Resp r = admin(spec)) {
      Object set = r.call("ACL", "SETUSER", "default", "resetpass", ">" + next.password());
      Object saved = r.call("ACL", "SAVE");
      if (!"OK".equals(set) || !"OK".equals(saved)) {
        throw new DatastoreException("Redis refused the new password: " + set + " " + saved);
      }
    } catch (IOException e) {
      throw new DatastoreException("could not reach the add-on's Redis: " + e.getMessage(), e);
    }
    Settings.saveCredentials(spec, next);
    return next;
  }

  /** Redis users may hold several passwords: the new one is added beside the old one. */
  @Override
  public Credentials addPassword(StoreSpec spec, Credentials current) throws DatastoreException {
    Credentials next = new Credentials(current.host(), current.port(), "", Secrets.password(), "");
    acl(spec, ">" + next.password());
    Settings.saveCredentials(spec, next);
    return next;
  }

  @Override
  public void retirePassword(StoreSpec spec, Credentials old, Credentials next) throws DatastoreException {
    if (old.password().equals(next.password())) return;
    acl(spec, "<" + old.password());
  }

  /** Applies one rule to the {@code default} user and saves the ACL file. */
  private static void acl(StoreSpec spec, String rule) throws DatastoreException {
    try (Resp r = admin(spec)) {
      Object set = r.call("ACL", "SETUSER", "default", rule);
      Object saved = r.call("ACL", "SAVE");
      if (!"OK".equals(set) || !"OK".equals(saved)) {
        throw new DatastoreException("Redis refused the password change: " + set + " " + saved);
      }
    } catch (IOException e) {
      throw new DatastoreException("could not reach the add-on's Redis: " + e.getMessage(), e);
    }
  }

  @Override
  protected Reading idle(StoreSpec spec) {
    return new Reading(-1, DataDir.size(spec.dataDir().resolve("data")), "");
  }

  @Override
  protected Reading read(StoreSpec spec, Credentials credentials) throws IOException, DatastoreException {
    try (Resp r = admin(spec)) {
      Map<String, String> info = parseInfo(String.valueOf(r.call("INFO")));
      // Pier's own status connection is not the app's.
      int connections = Integer.parseInt(info.getOrDefault("connected_clients", "1")) - 1;
      return new Reading(connections, idle(spec).dataBytes(), "Redis " + info.getOrDefault("redis_version", ""));
    }
  }

  static Map<String, String> parseInfo(String info) {
    Map<String, String> values = new java.util.HashMap<>();
    for (String line : info.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) values.put(line.substring(0, colon), line.substring(colon + 1).strip());
    }
    return values;
  }

  @Override
  public Map<String, String> configVars(Credentials c) {
    return Map.of("URL", "redis://:" + c.password() + "@" + c.host() + ":" + c.port());
  }
}
