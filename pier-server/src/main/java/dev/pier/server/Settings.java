package dev.pier.server;

import dev.pier.build.BuildLimits;
import dev.pier.router.ClientLimits;
import dev.pier.runtime.DiskQuota;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Server settings after resolving flags, environment variables and defaults (in that order).
 *
 * @param dataDir where all state lives
 * @param apiPort REST API, console and git (0 = ephemeral, for tests)
 * @param routerPort where apps are served (0 = ephemeral)
 * @param bindHost interface both listeners bind to
 * @param domain apps answer at {@code APP.DOMAIN:ROUTER_PORT}
 * @param adminToken preset admin token, or null to generate one on first start
 * @param memoryLimitBytes default per-instance memory limit
 * @param stopGrace time between SIGTERM and SIGKILL
 * @param bootTimeout how long a deploy waits for web instances to accept connections
 * @param maxUploadBytes limit of a `pier deploy` upload, unpacked
 * @param drainTimeout how long a replaced instance may finish in-flight requests before it is
 *     stopped
 * @param routerBackendPool whether the router keeps connections to instances open for reuse
 * @param requestMetrics whether the router's requests feed metrics and transactions (off only to
 *     measure what they cost)
 * @param networkIsolation whether app code is kept from this machine's other services (other
 *     apps' instance ports, the API) with nftables; needs root and nft, else it is off with a
 *     warning
 * @param buildLimits memory, processes and CPU of each build step, and the timeout of a build
 * @param diskReserveBytes free space the data disk must keep: below it, changes that write (app
 *     creation, deploys, pushes) are refused with 507
 * @param routerClientLimits the router's request head deadline and client connection limits
 * @param allowLocalDrains whether log drains may send to this machine's addresses (loopback, its
 *     interfaces; never the platform's own ports); off, drain URLs must point at other machines
 * @param diskQuota what each instance may write to /app and /tmp
 * @param nodeRegistry the npm registry Node.js apps get the Node.js they ask for from (cached in
 *     {@code DATA/runtimes/node}); null: they all use the server's own node
 * @param routerTlsPort where apps are served over HTTPS (0 = ephemeral, -1 = no HTTPS listener)
 * @param acme the ACME CA of automatic certificates ({@code pier certs:auto:enable}), or null: off
 * @param routerPublicHttpsPort the port clients reach the router's HTTPS on (a 443 forwarded to
 *     {@code routerTlsPort}): https-only apps' redirects go there; 0: {@code routerTlsPort} itself
 * @param addonPorts the ports add-on servers listen on, one each
 */
public record Settings(
    Path dataDir,
    int apiPort,
    int routerPort,
    String bindHost,
    String domain,
    String adminToken,
    long memoryLimitBytes,
    Duration stopGrace,
    Duration bootTimeout,
    long maxUploadBytes,
    Duration drainTimeout,
    boolean routerBackendPool,
    boolean requestMetrics,
    boolean networkIsolation,
    BuildLimits buildLimits,
    long diskReserveBytes,
    ClientLimits routerClientLimits,
    boolean allowLocalDrains,
    DiskQuota diskQuota,
    java.net.URI nodeRegistry,
    int routerTlsPort,
    dev.pier.acme.AcmeSettings acme,
    int routerPublicHttpsPort,
    dev.pier.addons.AddonPorts addonPorts) {
  /** {@link #routerTlsPort} when there is no HTTPS listener. */
  public static final int TLS_OFF = -1;

  /** Default instance disk quota: 1 GiB of /app, 256 MiB of /tmp. */
  public static final DiskQuota DEFAULT_DISK_QUOTA = new DiskQuota(1L << 30, 256L << 20);


  public static Settings defaults(Path dataDir) {
    return new Settings(
        dataDir, 7070, 8080, "0.0.0.0", "localhost", null, 512L << 20, Duration.ofSeconds(30),
        Duration.ofSeconds(60), 200L << 20, Duration.ofSeconds(30), true, true, true,
        BuildLimits.defaults(512L << 20), 256L << 20, ClientLimits.DEFAULT, false,
        DEFAULT_DISK_QUOTA, dev.pier.build.nodejs.NodeRegistry.DEFAULT, 8443, null, 0,
        dev.pier.addons.AddonPorts.parse(dev.pier.addons.AddonPorts.DEFAULT));
  }

  public Settings withPorts(int api, int router) {
    return edit(b -> {
      b.apiPort = api;
      b.routerPort = router;
      if (router == 0 && b.routerTlsPort != TLS_OFF) b.routerTlsPort = 0; // tests: all ephemeral
    });
  }

  public Settings withAdminToken(String token) {
    return edit(b -> b.adminToken = token);
  }

  public Settings withStopGrace(Duration grace) {
    return edit(b -> b.stopGrace = grace);
  }

  public Settings withMaxUploadBytes(long bytes) {
    return edit(b -> b.maxUploadBytes = bytes);
  }

  public Settings withBootTimeout(Duration timeout) {
    return edit(b -> b.bootTimeout = timeout);
  }

  public Settings withBindHost(String host) {
    return edit(b -> b.bindHost = host);
  }

  public Settings withRouterBackendPool(boolean pool) {
    return edit(b -> b.routerBackendPool = pool);
  }

  public Settings withNetworkIsolation(boolean on) {
    return edit(b -> b.networkIsolation = on);
  }

  public Settings withDomain(String newDomain) {
    return edit(b -> b.domain = newDomain);
  }

  public Settings withBuildLimits(BuildLimits limits) {
    return edit(b -> b.buildLimits = limits);
  }

  public Settings withDiskReserveBytes(long bytes) {
    return edit(b -> b.diskReserveBytes = bytes);
  }

  public Settings withRouterClientLimits(ClientLimits limits) {
    return edit(b -> b.routerClientLimits = limits);
  }

  public Settings withAllowLocalDrains(boolean allow) {
    return edit(b -> b.allowLocalDrains = allow);
  }

  public Settings withDiskQuota(DiskQuota quota) {
    return edit(b -> b.diskQuota = quota);
  }

  /** Node.js from {@code registry}; null: every Node.js app uses the server's own node. */
  public Settings withNodeRegistry(java.net.URI registry) {
    return edit(b -> b.nodeRegistry = registry);
  }

  /** HTTPS on {@code port} (0: a free one; {@link #TLS_OFF}: none). */
  public Settings withRouterTlsPort(int port) {
    return edit(b -> b.routerTlsPort = port);
  }

  /** Automatic certificates from the ACME CA of {@code acme} (null: off). */
  public Settings withAcme(dev.pier.acme.AcmeSettings acme) {
    return edit(b -> b.acme = acme);
  }

  /** Redirects to HTTPS name {@code port} (0: the TLS listen port). */
  public Settings withRouterPublicHttpsPort(int port) {
    return edit(b -> b.routerPublicHttpsPort = port);
  }

  /** The HTTPS port clients use: {@link #routerPublicHttpsPort}, else {@code tlsListenPort}. */
  public int publicHttpsPort(int tlsListenPort) {
    return routerPublicHttpsPort > 0 ? routerPublicHttpsPort : tlsListenPort;
  }

  private Settings edit(java.util.function.Consumer<Copy> change) {
    Copy copy = new Copy(this);
    change.accept(copy);
    return copy.build();
  }

  /** A mutable copy: the one place that lists every field, so withers stay one line each. */
  private static final class Copy {
    Path dataDir;
    int apiPort;
    int routerPort;
    String bindHost;
    String domain;
    String adminToken;
    long memoryLimitBytes;
    Duration stopGrace;
    Duration bootTimeout;
    long maxUploadBytes;
    Duration drainTimeout;
    boolean routerBackendPool;
    boolean requestMetrics;
    boolean networkIsolation;
    BuildLimits buildLimits;
    long diskReserveBytes;
    ClientLimits routerClientLimits;
    boolean allowLocalDrains;
    DiskQuota diskQuota;
    java.net.URI nodeRegistry;
    int routerTlsPort;
    dev.pier.acme.AcmeSettings acme;
    int routerPublicHttpsPort;
    dev.pier.addons.AddonPorts addonPorts;

    Copy(Settings s) {
      dataDir = s.dataDir;
      apiPort = s.apiPort;
      routerPort = s.routerPort;
      bindHost = s.bindHost;
      domain = s.domain;
      adminToken = s.adminToken;
      memoryLimitBytes = s.memoryLimitBytes;
      stopGrace = s.stopGrace;
      bootTimeout = s.bootTimeout;
      maxUploadBytes = s.maxUploadBytes;
      drainTimeout = s.drainTimeout;
      routerBackendPool = s.routerBackendPool;
      requestMetrics = s.requestMetrics;
      networkIsolation = s.networkIsolation;
      buildLimits = s.buildLimits;
      diskReserveBytes = s.diskReserveBytes;
      routerClientLimits = s.routerClientLimits;
      allowLocalDrains = s.allowLocalDrains;
      diskQuota = s.diskQuota;
      nodeRegistry = s.nodeRegistry;
      routerTlsPort = s.routerTlsPort;
      acme = s.acme;
      routerPublicHttpsPort = s.routerPublicHttpsPort;
      addonPorts = s.addonPorts;
    }

    Settings build() {
      return new Settings(dataDir, apiPort, routerPort, bindHost, domain, adminToken,
          memoryLimitBytes, stopGrace, bootTimeout, maxUploadBytes, drainTimeout,
          routerBackendPool, requestMetrics, networkIsolation, buildLimits, diskReserveBytes,
          routerClientLimits, allowLocalDrains, diskQuota, nodeRegistry, routerTlsPort, acme,
          routerPublicHttpsPort, addonPorts);
    }
  }
}
