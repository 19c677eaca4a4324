package dev.pier.server;

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
    boolean requestMetrics) {

  public static Settings defaults(Path dataDir) {
    return new Settings(
        dataDir, 7070, 8080, "0.0.0.0", "localhost", null, 512L << 20, Duration.ofSeconds(30),
        Duration.ofSeconds(60), 200L << 20, Duration.ofSeconds(30), true, true);
  }

  public Settings withPorts(int api, int router) {
    return new Settings(
        dataDir, api, router, bindHost, domain, adminToken, memoryLimitBytes, stopGrace, bootTimeout,
        maxUploadBytes, drainTimeout, routerBackendPool, requestMetrics);
  }

  public Settings withAdminToken(String token) {
    return new Settings(
        dataDir, apiPort, routerPort, bindHost, domain, token, memoryLimitBytes, stopGrace, bootTimeout,
        maxUploadBytes, drainTimeout, routerBackendPool, requestMetrics);
  }

  public Settings withStopGrace(Duration grace) {
    return new Settings(
        dataDir, apiPort, routerPort, bindHost, domain, adminToken, memoryLimitBytes, grace, bootTimeout,
        maxUploadBytes, drainTimeout, routerBackendPool, requestMetrics);
  }

  public Settings withMaxUploadBytes(long bytes) {
    return new Settings(
        dataDir, apiPort, routerPort, bindHost, domain, adminToken, memoryLimitBytes, stopGrace,
        bootTimeout, bytes, drainTimeout, routerBackendPool, requestMetrics);
  }

  public Settings withBootTimeout(Duration timeout) {
    return new Settings(
        dataDir, apiPort, routerPort, bindHost, domain, adminToken, memoryLimitBytes, stopGrace,
        timeout, maxUploadBytes, drainTimeout, routerBackendPool, requestMetrics);
  }

  public Settings withBindHost(String host) {
    return new Settings(
        dataDir, apiPort, routerPort, host, domain, adminToken, memoryLimitBytes, stopGrace,
        bootTimeout, maxUploadBytes, drainTimeout, routerBackendPool, requestMetrics);
  }

  public Settings withRouterBackendPool(boolean pool) {
    return new Settings(
        dataDir, apiPort, routerPort, bindHost, domain, adminToken, memoryLimitBytes, stopGrace,
        bootTimeout, maxUploadBytes, drainTimeout, pool, requestMetrics);
  }

  public Settings withDomain(String newDomain) {
    return new Settings(
        dataDir, apiPort, routerPort, bindHost, newDomain, adminToken, memoryLimitBytes, stopGrace,
        bootTimeout, maxUploadBytes, drainTimeout, routerBackendPool, requestMetrics);
  }
}
