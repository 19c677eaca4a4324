package dev.pier.model;

import java.time.Duration;

/**
 * An app's own router limits, applied per request once the router knows the request's app from
 * its Host header. A {@code null} timeout (or a {@code maxBodyBytes} of 0) means "the router's
 * default" (its {@code RouterConfig}): {@link #DEFAULT} leaves every setting to the router.
 *
 * <p>Limits that apply before the Host header is read (the request head deadline, the largest
 * request line and header block) are router-wide only and are not here.
 *
 * @param requestTimeout how long the app may take to its first response byte, counted from the
 *     last request byte it accepted; then the client gets 504 {@code response_timeout}
 * @param idleTimeout how long a client keep-alive connection (or an exchange in which no byte
 *     moves) may sit idle after a request to this app
 * @param tunnelIdleTimeout how long an upgraded connection (WebSocket) of this app may carry no
 *     byte in either direction
 * @param maxBodyBytes the largest request body accepted, in bytes (413 {@code body_too_large}
 *     above it, checked against {@code Content-Length} up front and counted for chunked bodies);
 *     0 for no limit
 */
public record RouteLimits(
    Duration requestTimeout, Duration idleTimeout, Duration tunnelIdleTimeout, long maxBodyBytes) {
  /** Every setting left to the router. */
  public static final RouteLimits DEFAULT = new RouteLimits(null, null, null, 0);

  public RouteLimits {
    requirePositiveOrNull(requestTimeout, "requestTimeout");
    requirePositiveOrNull(idleTimeout, "idleTimeout");
    requirePositiveOrNull(tunnelIdleTimeout, "tunnelIdleTimeout");
    if (maxBodyBytes < 0) throw new IllegalArgumentException("maxBodyBytes must be >= 0");
  }

  /** Whether every setting is left to the router. */
  public boolean isDefault() {
    return equals(DEFAULT);
  }

  private static void requirePositiveOrNull(Duration d, String name) {
    if (d != null && (d.isNegative() || d.isZero())) {
      throw new IllegalArgumentException(name + " must be > 0");
    }
  }
}
