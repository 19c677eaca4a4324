package dev.pier.model;

import java.util.Locale;
import java.util.Map;

/**
 * An immutable snapshot of every route, keyed by lowercase host name without port (for example
 * {@code hello.localhost}). The control plane publishes a whole new table on each change; the
 * router swaps it in atomically.
 */
public record RouteTable(Map<String, Route> byHost) {
  public static final RouteTable EMPTY = new RouteTable(Map.of());

  public RouteTable {
    byHost = Map.copyOf(byHost);
  }

  /** Returns the route for a Host header value (port and case ignored), or null. */
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
    return byHost.get(host);
  }
}
