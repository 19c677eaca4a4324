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

  /**
   * Returns the route for a Host header value (port, case and a trailing dot ignored), or null,
   * also for a value that is not a valid host name ({@link #hostName}).
   */
  public Route lookup(String hostHeader) {
    String host = hostName(hostHeader);
    if (host == null) return null;
    Route exact = byHost.get(host);
    if (exact != null || byWildcard.isEmpty() || host.charAt(0) == '[') return exact;
    int dot = host.indexOf('.');
    // "*.example.com" matches "a.example.com": one label before its parent domain.
    return dot <= 0 ? null : byWildcard.get(host.substring(dot + 1));
  }

  /**
   * The host a Host header value names, lowercase, without its port and trailing dot; null unless
   * it is a valid host name: dot-separated labels of {@code [a-z0-9-]} (1 to 63 characters each,
   * no leading or trailing hyphen), or an IPv6 literal in brackets. A port, when present, is
   * digits only. Anything else ({@code user@host}, {@code a?.example.com}, {@code a/b}) names no
   * host: it routes nowhere and is never copied into a redirect.
   */
  public static String hostName(String hostHeader) {
    if (hostHeader == null) return null;
    String host = hostHeader.trim().toLowerCase(Locale.ROOT);
    String port;
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      if (end < 0) return null;
      port = host.substring(end + 1);
      host = host.substring(0, end + 1);
      if (!ipv6Literal(host)) return null;
    } else {
      int colon = host.indexOf(':');
      port = colon < 0 ? "" : host.substring(colon);
      if (colon >= 0) host = host.substring(0, colon);
      if (host.endsWith(".")) host = host.substring(0, host.length() - 1);
      if (!labels(host)) return null;
    }
    if (!port.isEmpty() && !validPort(port)) return null;
    return host;
  }

  private static boolean validPort(String colonAndPort) {
    if (colonAndPort.charAt(0) != ':' || colonAndPort.length() > 6) return false;
    for (int i = 1; i < colonAndPort.length(); i++) {
      char c = colonAndPort.charAt(i);
      if (c < '0' || c > '9') return false;
    }
    return true; // ":" alone is an empty port, which RFC 3986 allows
  }

  private static boolean labels(String host) {
    if (host.isEmpty() || host.length() > 253) return false;
    int start = 0;
    while (true) {
      int dot = host.indexOf('.', start);
      int end = dot < 0 ? host.length() : dot;
      if (!label(host, start, end)) return false;
      if (dot < 0) return true;
      start = dot + 1;
    }
  }

  private static boolean label(String host, int start, int end) {
    int length = end - start;
    if (length < 1 || length > 63 || host.charAt(start) == '-' || host.charAt(end - 1) == '-') return false;
    for (int i = start; i < end; i++) {
      char c = host.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    return true;
  }

  private static boolean ipv6Literal(String bracketed) {
    String inside = bracketed.substring(1, bracketed.length() - 1);
    if (inside.isEmpty() || inside.indexOf(':') < 0 || inside.length() > 45) return false;
    for (int i = 0; i < inside.length(); i++) {
      char c = inside.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':' || c == '.')) return false;
    }
    return true;
  }
}
