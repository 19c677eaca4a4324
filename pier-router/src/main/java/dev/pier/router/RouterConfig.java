package dev.pier.router;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one {@link RouterServer}.
 *
 * @param bindHost address to listen on, for example {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param port port to listen on; 0 picks a free ephemeral port (see {@link RouterServer#port()})
 * @param connectTimeout how long opening a connection to one instance may take before it counts
 *     as failed (and is retried once on another instance)
 * @param responseTimeout how long an instance may stay silent, counted from the last request byte
 *     it accepted, before the client gets a 504 ({@link RouterError#RESPONSE_TIMEOUT}); this and
 *     the idle and tunnel idle timeouts are defaults an app's {@link
 *     dev.pier.model.RouteLimits} may replace
 * @param idleTimeout how long a client keep-alive connection may sit idle between requests before
 *     the router closes it
 * @param backendIdleTimeout how long a kept-alive connection to an instance may sit unused in the
 *     pool before the router closes it; keep it below the apps' own keep-alive timeout (Node's
 *     default is 5 s) so the router, not the app, normally closes idle connections
 * @param maxIdlePerBackend how many unused connections to one instance each event loop keeps; 0
 *     turns pooling off (every request then opens a new connection)
 * @param tunnelIdleTimeout how long an upgraded connection (a WebSocket) may carry no byte in
 *     either direction before the router closes it; replaces {@code idleTimeout} once the instance
 *     answered {@code 101 Switching Protocols} (until then the response timeout applies)
 * @param clientLimits the request head deadline and the connection limits, per router and per
 *     client address
 * @param holdLimits how long and how many requests may wait for a version that is starting or
 *     asleep ({@link dev.pier.model.VersionRoute#hold()})
 */
public record RouterConfig(
    String bindHost,
    int port,
    Duration connectTimeout,
    Duration responseTimeout,
    Duration idleTimeout,
    Duration backendIdleTimeout,
    int maxIdlePerBackend,
    Duration tunnelIdleTimeout,
    ClientLimits clientLimits,
    HoldLimits holdLimits) {

  /** The pool's idle timeout unless configured: below Node's 5 s keepAliveTimeout. */
  public static final Duration DEFAULT_BACKEND_IDLE_TIMEOUT = Duration.ofSeconds(4);
  public static final int DEFAULT_MAX_IDLE_PER_BACKEND = 64;
  /**
   * The tunnel idle timeout unless configured: 5 minutes, longer than the 90 s keep-alive idle
   * timeout of {@link #defaults}, so a WebSocket whose app pings every 25-60 s (socket.io, ws
   * heartbeats) stays open, while a dead one is still reclaimed.
   */
  public static final Duration DEFAULT_TUNNEL_IDLE_TIMEOUT = Duration.ofMinutes(5);

  public RouterConfig {
    Objects.requireNonNull(bindHost, "bindHost");
    if (port < 0 || port > 65535) throw new IllegalArgumentException("invalid port " + port);
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(responseTimeout, "responseTimeout");
    requirePositive(idleTimeout, "idleTimeout");
    requirePositive(backendIdleTimeout, "backendIdleTimeout");
    if (maxIdlePerBackend < 0) throw new IllegalArgumentException("maxIdlePerBackend must be >= 0");
    requirePositive(tunnelIdleTimeout, "tunnelIdleTimeout");
    Objects.requireNonNull(clientLimits, "clientLimits");
    Objects.requireNonNull(holdLimits, "holdLimits");
  }

  /** Settings with the default hold limits ({@link HoldLimits#DEFAULT}). */
  public RouterConfig(String bindHost, int port, Duration connectTimeout, Duration responseTimeout,
      Duration idleTimeout, Duration backendIdleTimeout, int maxIdlePerBackend,
      Duration tunnelIdleTimeout, ClientLimits clientLimits) {
    this(bindHost, port, connectTimeout, responseTimeout, idleTimeout, backendIdleTimeout,
        maxIdlePerBackend, tunnelIdleTimeout, clientLimits, HoldLimits.DEFAULT);
  }

  /** Settings with the default client limits ({@link ClientLimits#DEFAULT}). */
  public RouterConfig(String bindHost, int port, Duration connectTimeout, Duration responseTimeout,
      Duration idleTimeout, Duration backendIdleTimeout, int maxIdlePerBackend,
      Duration tunnelIdleTimeout) {
    this(bindHost, port, connectTimeout, responseTimeout, idleTimeout, backendIdleTimeout,
        maxIdlePerBackend, tunnelIdleTimeout, ClientLimits.DEFAULT);
  }

  /** Settings with the default tunnel idle timeout ({@link #DEFAULT_TUNNEL_IDLE_TIMEOUT}). */
  public RouterConfig(String bindHost, int port, Duration connectTimeout, Duration responseTimeout,
      Duration idleTimeout, Duration backendIdleTimeout, int maxIdlePerBackend) {
    this(bindHost, port, connectTimeout, responseTimeout, idleTimeout, backendIdleTimeout,
        maxIdlePerBackend, DEFAULT_TUNNEL_IDLE_TIMEOUT);
  }

  /**
   * Settings with the default backend connection pool (4 s idle, 64 per instance and loop),
   * tunnel idle timeout and client limits.
   */
  public RouterConfig(String bindHost, int port, Duration connectTimeout, Duration responseTimeout,
      Duration idleTimeout) {
    this(bindHost, port, connectTimeout, responseTimeout, idleTimeout,
        DEFAULT_BACKEND_IDLE_TIMEOUT, DEFAULT_MAX_IDLE_PER_BACKEND, DEFAULT_TUNNEL_IDLE_TIMEOUT);
  }

  /**
   * Returns Heroku-like defaults on all interfaces: connect 5 s, first response byte 30 s, idle
   * keep-alive 90 s, the default backend connection pool, tunnels idle 5 minutes, and the {@link
   * ClientLimits#DEFAULT default client limits} (request head 10 s, 10,000 connections, 256 per
   * client address) and {@link HoldLimits#DEFAULT hold limits} (30 s, 100 waiting per app).
   */
  public static RouterConfig defaults(int port) {
    return new RouterConfig(
        "0.0.0.0", port, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(90));
  }

  /** Returns a copy with other timeouts (tests use short ones). */
  public RouterConfig withTimeouts(Duration connect, Duration response, Duration idle) {
    return new RouterConfig(bindHost, port, connect, response, idle, backendIdleTimeout,
        maxIdlePerBackend, tunnelIdleTimeout, clientLimits, holdLimits);
  }

  /** Returns a copy with another backend connection pool ({@code maxIdle} 0 turns it off). */
  public RouterConfig withBackendPool(Duration idle, int maxIdle) {
    return new RouterConfig(bindHost, port, connectTimeout, responseTimeout, idleTimeout, idle,
        maxIdle, tunnelIdleTimeout, clientLimits, holdLimits);
  }

  /** Returns a copy with another idle timeout for upgraded connections (WebSockets). */
  public RouterConfig withTunnelIdleTimeout(Duration idle) {
    return new RouterConfig(bindHost, port, connectTimeout, responseTimeout, idleTimeout,
        backendIdleTimeout, maxIdlePerBackend, idle, clientLimits, holdLimits);
  }

  /** Returns a copy with other client limits (head deadline, connection limits). */
  public RouterConfig withClientLimits(ClientLimits limits) {
    return new RouterConfig(bindHost, port, connectTimeout, responseTimeout, idleTimeout,
        backendIdleTimeout, maxIdlePerBackend, tunnelIdleTimeout, limits, holdLimits);
  }

  /**
   * Returns a copy with other bounds on requests held for versions that are starting or asleep.
   */
  public RouterConfig withHoldLimits(HoldLimits limits) {
    return new RouterConfig(bindHost, port, connectTimeout, responseTimeout, idleTimeout,
        backendIdleTimeout, maxIdlePerBackend, tunnelIdleTimeout, clientLimits, limits);
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be > 0");
  }
}
