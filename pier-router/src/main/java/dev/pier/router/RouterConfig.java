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
 *     it accepted, before the client gets a 504 ({@link RouterError#RESPONSE_TIMEOUT})
 * @param idleTimeout how long a client keep-alive connection may sit idle between requests before
 *     the router closes it
 */
public record RouterConfig(
    String bindHost,
    int port,
    Duration connectTimeout,
    Duration responseTimeout,
    Duration idleTimeout) {

  public RouterConfig {
    Objects.requireNonNull(bindHost, "bindHost");
    if (port < 0 || port > 65535) throw new IllegalArgumentException("invalid port " + port);
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(responseTimeout, "responseTimeout");
    requirePositive(idleTimeout, "idleTimeout");
  }

  /**
   * Returns Heroku-like defaults on all interfaces: connect 5 s, first response byte 30 s, idle
   * keep-alive 90 s.
   */
  public static RouterConfig defaults(int port) {
    return new RouterConfig(
        "0.0.0.0", port, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(90));
  }

  /** Returns a copy with other timeouts (tests use short ones). */
  public RouterConfig withTimeouts(Duration connect, Duration response, Duration idle) {
    return new RouterConfig(bindHost, port, connect, response, idle);
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be > 0");
  }
}
