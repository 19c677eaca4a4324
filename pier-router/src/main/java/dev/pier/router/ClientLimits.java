package dev.pier.router;

import java.time.Duration;
import java.util.Objects;

/**
 * What one client may hold of the router, so that slow or greedy clients cannot starve the others
 * or the rest of the process (the API and git share its file descriptors).
 *
 * @param headTimeout how long the request line and headers of one request may take to arrive,
 *     counted from their first byte (for the first request of a connection: from the moment it
 *     was accepted); when it passes, the client gets {@code 408} ({@link RouterError#HEAD_TIMEOUT})
 *     and the connection is closed. It cuts clients that trickle a header line every few seconds
 *     (slowloris), which the idle timeout never would
 * @param maxConnections open client connections the whole router holds at most; connections past
 *     it get {@code 503} ({@link RouterError#ROUTER_FULL}) and are closed at once
 * @param maxConnectionsPerAddress open client connections one remote IP address may hold at most;
 *     connections past it get {@code 429} ({@link RouterError#TOO_MANY_CONNECTIONS}) and are
 *     closed at once
 */
public record ClientLimits(Duration headTimeout, int maxConnections, int maxConnectionsPerAddress) {
  /** Longest request line (method, target, version) the router reads; a longer one gets 414. */
  public static final int MAX_REQUEST_LINE_BYTES = 8192;
  /** Largest sum of header lines the router reads (Heroku's 8 KiB); more gets 431. */
  public static final int MAX_HEADER_BYTES = 8192;

  /** Heroku-like: 10 s per request head, 10,000 connections, 256 per client address. */
  public static final ClientLimits DEFAULT = new ClientLimits(Duration.ofSeconds(10), 10_000, 256);

  public ClientLimits {
    Objects.requireNonNull(headTimeout, "headTimeout");
    if (headTimeout.isNegative() || headTimeout.isZero()) {
      throw new IllegalArgumentException("headTimeout must be > 0");
    }
    if (maxConnections < 1) throw new IllegalArgumentException("maxConnections must be >= 1");
    if (maxConnectionsPerAddress < 1) {
      throw new IllegalArgumentException("maxConnectionsPerAddress must be >= 1");
    }
  }

  /** Returns a copy with another head timeout. */
  public ClientLimits withHeadTimeout(Duration timeout) {
    return new ClientLimits(timeout, maxConnections, maxConnectionsPerAddress);
  }

  /** Returns a copy with other connection limits. */
  public ClientLimits withConnections(int max, int perAddress) {
    return new ClientLimits(headTimeout, max, perAddress);
  }
}
