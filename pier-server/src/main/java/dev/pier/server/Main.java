package dev.pier.server;

import dev.pier.build.BuildLimits;
import dev.pier.runtime.local.PortAllocator;
import dev.pier.runtime.DiskQuota;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code pier server}: its flags ({@link ServerFlags}, picocli) win over environment variables ({@code PIER_DATA}, {@code PIER_API_PORT},
 * {@code PIER_ROUTER_PORT}, {@code PIER_DOMAIN}, {@code PIER_BIND}, {@code PIER_ADMIN_TOKEN},
 * {@code PIER_MEMORY_LIMIT_MB}, {@code PIER_STOP_GRACE_SECONDS}, {@code PIER_MAX_UPLOAD_MB}),
 * which win over defaults.
 */
public final class Main {
  /** The usage text of {@code pier server --help} (from {@link ServerFlags}). */
  static String usage() {
    return ServerFlags.usage();
  }

  private Main() {}

  /**
   * Lucene reports through java.util.logging which MMap implementation and Vector API it picked, at
   * every start: facts for Lucene's developers, not for operators. Held here so the setting stays
   * (JUL keeps loggers weakly).
   */
  private static final java.util.logging.Logger LUCENE = java.util.logging.Logger.getLogger("org.apache.lucene");

  public static void main(String[] args) throws Exception {
    LUCENE.setLevel(java.util.logging.Level.SEVERE);
    Settings settings;
    try {
      settings = parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(" !     " + e.getMessage());
      System.err.print(usage());
      System.exit(2);
      return;
    }
    if (settings == null) {
      System.out.print(usage());
      return;
    }
    String missing = dev.pier.sandbox.Sandbox.missingTools();
    if (missing != null) {
      System.err.println(" !     Cannot run app sandboxes: " + missing + ". Install it (apt-get install -y bubblewrap) and start again.");
      System.exit(1);
    }
    PlatformServer server;
    try {
      server = PlatformServer.start(settings);
    } catch (IllegalStateException | java.io.UncheckedIOException e) {
      System.err.println(" !     Pier cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("Pier is stopping: stopping instances...");
      server.close();
      stopped.countDown();
    }, "pier-shutdown"));
    banner(server, System.out);
    stopped.await();
  }

  static void banner(PlatformServer server, PrintStream out) {
    Settings s = server.settings();
    out.println("Pier is up.");
    out.println("  API, git:  " + server.apiUrl());
    out.println("  Apps:      http://APP." + s.domain() + ":" + server.routerPort() + "/");
    if (server.routerTlsPort() > 0) {
      out.println("  HTTPS:     https://APP." + s.domain() + ":" + server.routerTlsPort()
          + "/ (trust Pier's CA: bin/pier certs:ca > pier-ca.pem)");
    }
    out.println("  Data:      " + s.dataDir());
    if (server.adminTokenGenerated()) {
      out.println("  Admin token (shown once; also in " + s.dataDir().resolve("admin-token") + "):");
      out.println("    " + server.adminToken());
    } else {
      out.println("  Admin token: in " + s.dataDir().resolve("admin-token"));
    }
    out.println("Next: bin/pier login --api " + server.apiUrl());
  }

  /** Resolves settings from flags and environment; returns null when help was asked for. */
  static Settings parse(String[] args, Map<String, String> env) {
    ServerFlags flags = ServerFlags.parse(args, env);
    if (flags.help) return null;
    Path dataDir = flags.data != null ? Path.of(flags.data) : defaultDataDir(env);
    Settings s = Settings.defaults(dataDir);
    int api = port("API port", flags.apiPort, s.apiPort());
    int router = port("router port", flags.routerPort, s.routerPort());
    if (api == router && api != 0) throw new IllegalArgumentException("API and router ports must differ");
    outsideInstancePorts("API port", api);
    outsideInstancePorts("router port", router);
    int tls = "off".equals(flags.routerTlsPort) ? Settings.TLS_OFF
        : port("router TLS port", flags.routerTlsPort, s.routerTlsPort());
    if (tls > 0 && (tls == api || tls == router)) {
      throw new IllegalArgumentException("the router TLS port must differ from the API and router ports");
    }
    if (tls > 0) outsideInstancePorts("router TLS port", tls);
    int publicHttps = publicHttpsPort(flags.publicHttpsPort, tls);
    String d = flags.domain == null ? s.domain() : flags.domain.toLowerCase(java.util.Locale.ROOT);
    if (!d.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) throw new IllegalArgumentException("invalid domain '" + d + "'");
    return new Settings(
        dataDir, api, router, flags.bind == null ? s.bindHost() : flags.bind, d, env.get("PIER_ADMIN_TOKEN"),
        number(env, "PIER_MEMORY_LIMIT_MB", 512) << 20,
        Duration.ofSeconds(number(env, "PIER_STOP_GRACE_SECONDS", 30)),
        Duration.ofSeconds(number(env, "PIER_BOOT_TIMEOUT_SECONDS", 60)),
        number(env, "PIER_MAX_UPLOAD_MB", 200) << 20,
        Duration.ofSeconds(number(env, "PIER_DRAIN_TIMEOUT_SECONDS", 30)),
        !"0".equals(env.get("PIER_ROUTER_BACKEND_POOL")),
        !"0".equals(env.get("PIER_REQUEST_METRICS")),
        !"0".equals(env.get("PIER_NETWORK_ISOLATION")),
        buildLimits(env, number(env, "PIER_MEMORY_LIMIT_MB", 512) << 20),
        number(env, "PIER_DISK_RESERVE_MB", 256) << 20,
        routerClientLimits(env, s.routerClientLimits()),
        flags.allowLocalDrains,
        diskQuota(env),
        dev.pier.build.nodejs.NodeInstaller.registry(flags.nodeRegistry, env.get("PIER_NODE_DOWNLOADS")),
        tls, acme(flags.acmeDirectory, flags.acmeEmail, flags.acmeCaCert, tls), publicHttps,
        flags.addonPorts == null ? s.addonPorts() : dev.pier.addons.AddonPorts.parse(flags.addonPorts));
  }

  /** {@code --router-public-https-port}: 1-65535, and only with HTTPS on; 0 when unset. */
  static int publicHttpsPort(String value, int tls) {
    if (value == null || value.isBlank()) return 0;
    int port = port("router public HTTPS port", value, 0);
    if (port < 1) throw new IllegalArgumentException("the router public HTTPS port must be 1-65535");
    if (tls == Settings.TLS_OFF) {
      throw new IllegalArgumentException("--router-public-https-port needs HTTPS: drop --router-tls-port off");
    }
    return port;
  }

  /** The ACME settings of {@code --acme-directory} and its companions, or null when it is unset. */
  static dev.pier.acme.AcmeSettings acme(String directory, String email, String caCert, int tls) {
    if (directory == null || directory.isBlank()) {
      if (email != null || caCert != null) {
        throw new IllegalArgumentException("--acme-email and --acme-ca-cert need --acme-directory");
      }
      return null;
    }
    if (tls == Settings.TLS_OFF) {
      throw new IllegalArgumentException("--acme-directory needs HTTPS: drop --router-tls-port off");
    }
    java.net.URI uri;
    try {
      uri = new java.net.URI(directory.trim());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("invalid ACME directory URL '" + directory + "'");
    }
    Path ca = caCert == null || caCert.isBlank() ? null : Path.of(caCert);
    if (ca != null && !java.nio.file.Files.isReadable(ca)) {
      throw new IllegalArgumentException("cannot read the ACME CA certificate " + ca);
    }
    return new dev.pier.acme.AcmeSettings(uri, email == null || email.isBlank() ? null : email.trim(), ca);
  }

  /** The instance disk quota from PIER_DISK_QUOTA_MB and PIER_TMP_QUOTA_MB (0: none). */
  static DiskQuota diskQuota(Map<String, String> env) {
    DiskQuota d = Settings.DEFAULT_DISK_QUOTA;
    long app = number(env, "PIER_DISK_QUOTA_MB", d.appBytes() >> 20);
    if (app != 0 && app < 16) throw new IllegalArgumentException("PIER_DISK_QUOTA_MB must be 0 (no quota) or at least 16");
    return new DiskQuota(app << 20, number(env, "PIER_TMP_QUOTA_MB", d.tmpBytes() >> 20) << 20);
  }

  /** The build limits from PIER_BUILD_* variables, defaulting to {@link BuildLimits#defaults}. */
  static BuildLimits buildLimits(Map<String, String> env, long instanceMemoryBytes) {
    BuildLimits d = BuildLimits.defaults(instanceMemoryBytes);
    long memoryMb = number(env, "PIER_BUILD_MEMORY_MB", d.memoryBytes() >> 20);
    long pids = number(env, "PIER_BUILD_PIDS", d.pidsMax());
    long timeout = number(env, "PIER_BUILD_TIMEOUT_SECONDS", d.timeout().toSeconds());
    if (memoryMb < 64) throw new IllegalArgumentException("PIER_BUILD_MEMORY_MB must be at least 64");
    if (pids < 16 || pids > 1_000_000) throw new IllegalArgumentException("PIER_BUILD_PIDS must be 16 to 1000000");
    if (timeout < 1) throw new IllegalArgumentException("PIER_BUILD_TIMEOUT_SECONDS must be at least 1");
    int millicores = d.cpuMillicores();
    String cpus = env.get("PIER_BUILD_CPUS");
    if (cpus != null && !cpus.isBlank()) {
      try {
        double c = Double.parseDouble(cpus.trim());
        if (!(c >= 0 && c <= 1024)) throw new NumberFormatException();
        millicores = (int) Math.round(c * 1000);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid PIER_BUILD_CPUS '" + cpus + "': use a number of cores such as 1 or 0.5");
      }
    }
    long diskMb = number(env, "PIER_BUILD_DISK_MB", d.diskBytes() >> 20);
    if (diskMb != 0 && diskMb < 16) throw new IllegalArgumentException("PIER_BUILD_DISK_MB must be 0 (no quota) or at least 16");
    long tmpMb = number(env, "PIER_TMP_QUOTA_MB", d.tmpBytes() >> 20);
    return new BuildLimits(memoryMb << 20, (int) pids, millicores, java.time.Duration.ofSeconds(timeout),
        diskMb << 20, tmpMb << 20);
  }

  private static dev.pier.router.ClientLimits routerClientLimits(
      Map<String, String> env, dev.pier.router.ClientLimits d) {
    long head = number(env, "PIER_ROUTER_HEAD_TIMEOUT_SECONDS", d.headTimeout().toSeconds());
    long max = number(env, "PIER_ROUTER_MAX_CONNECTIONS", d.maxConnections());
    long perIp = number(env, "PIER_ROUTER_MAX_CONNECTIONS_PER_IP", d.maxConnectionsPerAddress());
    if (head < 1 || max < 1 || perIp < 1 || max > Integer.MAX_VALUE || perIp > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("PIER_ROUTER_HEAD_TIMEOUT_SECONDS,"
          + " PIER_ROUTER_MAX_CONNECTIONS and PIER_ROUTER_MAX_CONNECTIONS_PER_IP must be at least 1");
    }
    return new dev.pier.router.ClientLimits(Duration.ofSeconds(head), (int) max, (int) perIp);
  }

  static Path defaultDataDir(Map<String, String> env) {
    if ("root".equals(System.getProperty("user.name"))) return Path.of("/var/lib/pier");
    return Path.of(env.getOrDefault("HOME", "."), ".local", "share", "pier");
  }

  /**
   * Refuses a platform port inside the range instances get their ports from: an instance could be
   * handed the port (or the platform fail to bind it), and the network guard that keeps apps off
   * other apps' instance ports would also cover it.
   */
  private static void outsideInstancePorts(String what, int port) {
    int from = PortAllocator.DEFAULT_FROM;
    int to = PortAllocator.DEFAULT_TO;
    if (port >= from && port <= to) {
      throw new IllegalArgumentException(what + " " + port + " is inside the port range " + from + "-" + to
          + " that app instances get their ports from: choose a port outside it");
    }
  }

  private static int port(String what, String value, int fallback) {
    if (value == null) return fallback;
    try {
      int p = Integer.parseInt(value.trim());
      if (p < 0 || p > 65535) throw new NumberFormatException();
      return p;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid " + what + " '" + value + "': use 0 to 65535");
    }
  }

  private static long number(Map<String, String> env, String name, long fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) return fallback;
    try {
      long n = Long.parseLong(value.trim());
      if (n < 0) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid " + name + " '" + value + "': use a whole number");
    }
  }
}
