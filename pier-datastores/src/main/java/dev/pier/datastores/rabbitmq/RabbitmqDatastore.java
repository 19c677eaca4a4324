package dev.pier.datastores.rabbitmq;

import dev.pier.datastores.Credentials;
import dev.pier.datastores.DatastoreException;
import dev.pier.datastores.Plan;
import dev.pier.datastores.StoreSpec;
import dev.pier.datastores.run.Binaries;
import dev.pier.datastores.run.Commands;
import dev.pier.datastores.run.DataDir;
import dev.pier.datastores.run.Host;
import dev.pier.datastores.run.Logs;
import dev.pier.datastores.run.Secrets;
import dev.pier.datastores.run.ServerDatastore;
import dev.pier.datastores.run.ServerLaunch;
import dev.pier.datastores.run.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * RabbitMQ add-ons: one RabbitMQ node per add-on ({@code rabbit@localhost}) with its own Erlang
 * cookie, its own epmd (on a port of its own, so nodes share nothing) and distribution port, all
 * on 127.0.0.1; AMQP on the add-on's port. The app's user has permissions on its vhost only; no
 * {@code guest}. Publishers are blocked (RabbitMQ's memory alarm) at 60% of the plan's memory, an
 * idle node needs about 100 MiB, hence the larger plans than the other kinds'. Pier administers it with rabbitmqctl and the node's cookie from the add-on's
 * 0700 folder.
 */
public final class RabbitmqDatastore extends ServerDatastore {
  private static final long MIB = 1L << 20;
  private static final List<Plan> PLANS = List.of(
      new Plan("small", 512 * MIB, 20, 1L << 30),
      new Plan("medium", 1024 * MIB, 100, 4L << 30),
      new Plan("large", 4096 * MIB, 500, 16L << 30));
  private static final String SBIN = "/usr/lib/rabbitmq/bin/";
  /** Marks that the node booted once and made the app's user and vhost. */
  private static final String BOOTED = "pier-booted";

  /** The installed RabbitMQ's version, from its folder's name (rabbitmqctl takes seconds to start). */
  private static final String VERSION = installedVersion();

  public RabbitmqDatastore(Host host) {
    super(host, "rabbitmq", PLANS, Duration.ofSeconds(90));
  }

  @Override
  protected void requireBinaries() throws DatastoreException {
    Binaries.require("rabbitmq-server", SBIN + "rabbitmq-server", SBIN + "rabbitmqctl");
  }

  /** The node's cookie, its own epmd and distribution ports, and the config of its first boot. */
  @Override
  protected void setUp(StoreSpec spec, Credentials credentials) throws DatastoreException {
    DataDir.mkdir(spec, "mnesia");
    DataDir.mkdir(spec, "log");
    DataDir.write(spec, ".erlang.cookie", Secrets.password());
    try {
      java.nio.file.Files.setPosixFilePermissions(spec.dataDir().resolve(".erlang.cookie"),
          java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));
    } catch (IOException e) {
      throw new DatastoreException("could not protect the Erlang cookie", e);
    }
    DataDir.write(spec, "enabled_plugins", "[].\n");
    Properties p = Settings.read(spec);
    p.setProperty("epmd.port", Integer.toString(freePort()));
    p.setProperty("dist.port", Integer.toString(freePort()));
    Settings.write(spec, p);
    writeConfig(spec, credentials);
  }

  /**
   * rabbitmq.conf from the plan; at the first boot also the app's user and vhost (RabbitMQ makes
   * them, and no guest, when its database is empty).
   */
  private static void writeConfig(StoreSpec spec, Credentials firstBoot) throws DatastoreException {
    Plan plan = spec.plan();
    StringBuilder conf = new StringBuilder("# Written by Pier from the add-on's plan (" + plan.name() + ")\n")
        .append("listeners.tcp.default = 127.0.0.1:").append(spec.port()).append('\n')
        .append("loopback_users = none\n")
        .append("vm_memory_high_watermark.absolute = ").append(plan.memoryBytes() * 6 / 10).append('\n')
        .append("disk_free_limit.absolute = 50MB\n")
        .append("log.console = true\nlog.console.level = warning\nlog.file = false\n");
    if (firstBoot != null) {
      conf.append("default_user = ").append(firstBoot.user()).append('\n')
          .append("default_pass = ").append(firstBoot.password()).append('\n')
          .append("default_vhost = ").append(firstBoot.path()).append('\n')
          .append("default_permissions.configure = .*\ndefault_permissions.read = .*\ndefault_permissions.write = .*\n")
          .append("default_user_tags.administrator = false\n");
    }
    DataDir.write(spec, "rabbitmq.conf", conf.toString());
  }

  private static Map<String, String> nodeEnv(StoreSpec spec, String dataDir) throws DatastoreException {
    Properties p = Settings.read(spec);
    Map<String, String> env = new HashMap<>();
    env.put("HOME", dataDir);
    env.put("RABBITMQ_NODENAME", "rabbit@localhost");
    env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
    env.put("RABBITMQ_NODE_PORT", Integer.toString(spec.port()));
    env.put("RABBITMQ_DIST_PORT", p.getProperty("dist.port"));
    env.put("ERL_EPMD_PORT", p.getProperty("epmd.port"));
    env.put("ERL_EPMD_ADDRESS", "127.0.0.1");
    env.put("RABBITMQ_MNESIA_BASE", dataDir + "/mnesia");
    env.put("RABBITMQ_LOG_BASE", dataDir + "/log");
    env.put("RABBITMQ_CONFIG_FILE", dataDir + "/rabbitmq.conf");
    env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dataDir + "/enabled_plugins");
    env.put("RABBITMQ_CONF_ENV_FILE", dataDir + "/rabbitmq-env.conf");
    env.put("RABBITMQ_ADVANCED_CONFIG_FILE", dataDir + "/advanced.config");
    env.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}");
    env.put("LANG", "C.UTF-8");
    env.put("LC_ALL", "C.UTF-8");
    return env;
  }

  @Override
  protected ServerLaunch launch(StoreSpec spec) throws DatastoreException {
    return new ServerLaunch(List.of(SBIN + "rabbitmq-server"), nodeEnv(spec, "/app"), "beam.smp");
  }

  /** Runs rabbitmqctl against the add-on's node (as root, with the node's cookie and epmd). */
  private static String ctl(StoreSpec spec, String... args) throws DatastoreException {
    return ctlWithInput(spec, null, args);
  }

  /**
   * Runs {@code rabbitmqctl add_user USER} or {@code change_password USER}: without the password
   * on its command line (where every local user could read it), rabbitmqctl reads it from stdin.
   */
  private static void ctlPassword(StoreSpec spec, String command, String user, String password)
      throws DatastoreException {
    ctlWithInput(spec, password + "\n", command, user);
  }

  private static String ctlWithInput(StoreSpec spec, String stdin, String... args) throws DatastoreException {
    List<String> argv = new java.util.ArrayList<>(List.of(SBIN + "rabbitmqctl", "-n", "rabbit@localhost", "-q"));
    argv.addAll(List.of(args));
    Map<String, String> env = nodeEnv(spec, spec.dataDir().toString());
    env.put("PATH", "/usr/lib/rabbitmq/bin:/usr/bin:/bin:/usr/sbin:/sbin");
    // The CLI would otherwise start an epmd of its own (as root, outliving it) when the node is down.
    env.put("ERL_FLAGS", "-start_epmd false");
    // rabbitmqctl runs as root and would source this shell file, which the add-on's uid can write.
    env.put("RABBITMQ_CONF_ENV_FILE", "/dev/null");
    Commands.Result r = Commands.run(argv, env, stdin, Duration.ofSeconds(60));
    if (!r.ok()) throw new DatastoreException("rabbitmqctl " + args[0] + " failed: " + Logs.lastLines(r.output(), 3));
    return r.output();
  }

  @Override
  protected boolean ready(StoreSpec spec, Credentials saved) {
    return answers(spec);
  }

  /** True once the node answers an AMQP 0-9-1 protocol header with Connection.Start. */
  @Override
  protected boolean answers(StoreSpec spec) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", spec.port()), 1000);
      s.setSoTimeout(2000);
      s.getOutputStream().write(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1});
      InputStream in = s.getInputStream();
      return in.read() == 1;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws DatastoreException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new DatastoreException("no free port for the RabbitMQ node's own use", e);
    }
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Picks new epmd and distribution ports when another program took the saved ones meanwhile. */
  private static void ensureNodePorts(StoreSpec spec) throws DatastoreException {
    Properties p = Settings.read(spec);
    boolean changed = false;
    for (String key : List.of("epmd.port", "dist.port")) {
      String value = p.getProperty(key);
      if (value == null || !free(Integer.parseInt(value))) {
        p.setProperty(key, Integer.toString(freePort()));
        changed = true;
      }
    }
    if (changed) Settings.write(spec, p);
  }

  /** The config (with the app's user and vhost until the node booted once) and free node ports. */
  @Override
  protected void beforeStart(StoreSpec spec, Credentials saved) throws DatastoreException {
    writeConfig(spec, booted(spec) ? null : saved);
    ensureNodePorts(spec);
  }

  /** The plan's connection limit (applied at every start: a new plan takes effect). */
  @Override
  protected void whenReady(StoreSpec spec, Credentials saved) throws DatastoreException {
    ctl(spec, "set_vhost_limits", "-p", saved.path(), "{\"max-connections\": " + spec.plan().maxConnections() + "}");
  }

  /** After the first boot the config no longer names the app's user and password. */
  @Override
  protected void afterStart(StoreSpec spec, Credentials credentials) throws DatastoreException {
    if (booted(spec)) return;
    writeConfig(spec, null);
    DataDir.write(spec, BOOTED, "ok\n");
  }

  private static boolean booted(StoreSpec spec) {
    return java.nio.file.Files.exists(spec.dataDir().resolve(BOOTED));
  }

  @Override
  public Credentials rotate(StoreSpec spec, Credentials current) throws DatastoreException {
    Credentials next = new Credentials(current.host(), current.port(), current.user(), Secrets.password(), current.path());
    ctlPassword(spec, "change_password", current.user(), next.password());
    Settings.saveCredentials(spec, next);
    return next;
  }

  /**
   * A RabbitMQ user has one password, so the two credentials of a rotation are two users with
   * the same permissions on the vhost, NAME and NAME_b, alternating: the one not in use gets the
   * new password (made if missing), and {@link #retirePassword} clears the old user's password
   * (its open connections stay; it can no longer log in). Queues belong to the vhost, not a user.
   */
  @Override
  public Credentials addPassword(StoreSpec spec, Credentials current) throws DatastoreException {
    String user = otherUser(current.user());
    Credentials next = new Credentials(current.host(), current.port(), user, Secrets.password(), current.path());
    boolean exists = ctl(spec, "list_users").lines().anyMatch(l -> l.split("\\s+")[0].equals(user));
    ctlPassword(spec, exists ? "change_password" : "add_user", user, next.password());
    ctl(spec, "set_permissions", "-p", current.path(), user, ".*", ".*", ".*");
    Settings.saveCredentials(spec, next);
    return next;
  }

  @Override
  public void retirePassword(StoreSpec spec, Credentials old, Credentials next) throws DatastoreException {
    if (!old.user().equals(next.user())) ctl(spec, "clear_password", old.user());
  }

  @Override
  protected Reading idle(StoreSpec spec) {
    return new Reading(-1, DataDir.size(spec.dataDir().resolve("mnesia")), "");
  }

  @Override
  protected Reading read(StoreSpec spec, Credentials credentials) {
    int connections = -1;
    try {
      connections = connections(spec);
    } catch (DatastoreException | RuntimeException e) {
      // Answered with what is known.
    }
    return new Reading(connections, idle(spec).dataBytes(), VERSION);
  }

  /** Connection counts by add-on, with when they were counted: rabbitmqctl starts an Erlang VM. */
  private final Map<String, long[]> counted = new java.util.concurrent.ConcurrentHashMap<>();
  private static final long COUNT_FOR_NANOS = Duration.ofSeconds(10).toNanos();

  /** The add-on's open connections, counted at most every 10 s (each count runs rabbitmqctl). */
  private int connections(StoreSpec spec) throws DatastoreException {
    long[] last = counted.get(spec.name());
    long now = System.nanoTime();
    if (last != null && now - last[0] < COUNT_FOR_NANOS) return (int) last[1];
    int n = (int) ctl(spec, "list_connections", "-s", "pid").lines().filter(l -> !l.isBlank()).count();
    counted.put(spec.name(), new long[] {now, n});
    return n;
  }

  private static String installedVersion() {
    try (var dirs = java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/usr/lib/rabbitmq/lib"), "rabbitmq_server-*")) {
      for (var dir : dirs) return "RabbitMQ " + dir.getFileName().toString().substring("rabbitmq_server-".length());
    } catch (IOException e) {
      // Not installed: create and start say so.
    }
    return "RabbitMQ";
  }

  @Override
  public Map<String, String> configVars(Credentials c) {
    return Map.of("URL", "amqp://" + c.user() + ":" + c.password() + "@" + c.host() + ":" + c.port() + "/" + c.path());
  }

}
