package dev.pier.model;

import java.util.Locale;
import java.util.Map;

/**
 * An immutable snapshot of every route, keyed by lowercase host name without port (for example
 * {@code hello.localhost}). The control plane publishes a whole new table on each change; the
 * router swaps it in atomically.
 *
 * <p>{@code byWildcard} holds wildcard custom domains ({@code *.example.com}) keyed by their parent
 * domain ({@code example.com}): a host matches one when it has exactly one more label. An exact
 * host in {@code byHost} always wins over a wildcard. A lookup is two hash probes at most.
 *
 * <p>{@code httpsPort} is the port clients reach the router's HTTPS listener on (the target of an
 * https-only app's redirects, {@link RouteHttps}); 0 when the router has none (no redirect then).
 */
public record RouteTable(Map<String, Route> byHost, Map<String, Route> byWildcard, int httpsPort) {
  public static final RouteTable EMPTY = new RouteTable(Map.of());

  public RouteTable {
    byHost = Map.copyOf(byHost);
    byWildcard = Map.copyOf(byWildcard);
    if (httpsPort < 0 || httpsPort > 65535) throw new IllegalArgumentException("httpsPort out of range");
  }

  /** A table without an HTTPS port (no redirects to HTTPS). */
  public RouteTable(Map<String, Route> byHost, Map<String, Route> byWildcard) {
    this(byHost, byWildcard, 0);
  }

  /** A table without wildcard domains. */
  public RouteTable(Map<String, Route> byHost) {
    this(byHost, Map.of());
  }

  /** Returns the route for a Host header value (port, case and a trailing dot ignored), or null. */
  public Route lookup(String hostHeader) {
    if (hostHeader == null) return null;
    String host = hostHeader.trim().toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      host = end > 0 ? host.substring(0, end + 1) : host;
    } else {
      int colon = host.lastIndexOf(':');
      if (colon >= 0) host = host.substring(0, colon);
    }
    if (host.endsWith(".")) host = host.substring(0, host.length() - 1);
    Route exact = byHost.get(host);
    if (exact != null || byWildcard.isEmpty()) return exact;
    int dot = host.indexOf('.');
    // "*.example.com" matches "a.example.com": one non-empty label before its parent domain.
    return dot <= 0 || host.startsWith("[") ? null : byWildcard.get(host.substring(dot + 1));
  }
}
