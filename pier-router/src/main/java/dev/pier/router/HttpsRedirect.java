package dev.pier.router;

import dev.pier.model.Route;
import dev.pier.model.RouteHttps;
import dev.pier.model.RouteTable;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;

/**
 * An app's HTTPS features at the router ({@link RouteHttps}): a plain-HTTP request to an
 * https-only app is answered {@code 308} with the same URL on the router's HTTPS port (path and
 * query kept; the port left out when it is 443), and an HSTS app's HTTPS responses carry {@code
 * Strict-Transport-Security}. ACME HTTP-01 challenges ({@code /.well-known/acme-challenge/...})
 * are never redirected: a certificate authority fetches them over plain HTTP.
 */
final class HttpsRedirect {
  /** One year, as browsers' preload lists expect; no {@code includeSubDomains}. */
  static final String HSTS = "max-age=31536000";
  private static final String ACME_CHALLENGE = "/.well-known/acme-challenge/";
  private static final io.netty.util.AsciiString STRICT_TRANSPORT_SECURITY =
      io.netty.util.AsciiString.cached("strict-transport-security");

  private HttpsRedirect() {}

  /**
   * Whether {@code request}, which came in over plain HTTP unless {@code tls}, must be redirected
   * to HTTPS: its app is https-only and the router has an HTTPS port.
   */
  static boolean applies(Route route, RouteTable table, HttpRequest request, boolean tls) {
    return !tls && route.https().httpsOnly() && table.httpsPort() > 0
        && !path(request.uri()).startsWith(ACME_CHALLENGE);
  }

  /** The {@code Location} of the redirect: {@code https://HOST[:PORT]/path?query}. */
  static String location(String hostHeader, String uri, int httpsPort) {
    String host = withoutPort(hostHeader.trim());
    StringBuilder sb = new StringBuilder("https://").append(host);
    if (httpsPort != 443) sb.append(':').append(httpsPort);
    String target = originForm(uri);
    return sb.append(target).toString();
  }

  /** Adds HSTS to a response sent over TLS for an app that has it on. */
  static void addHsts(HttpHeaders headers, Route route, boolean tls) {
    String value = hsts(route, tls);
    if (value != null) headers.set(STRICT_TRANSPORT_SECURITY, value);
  }

  /** The {@code Strict-Transport-Security} value of a response over TLS ({@code tls}), or null. */
  static String hsts(Route route, boolean tls) {
    return tls && route != null && route.https().hsts() ? HSTS : null;
  }

  /** The path and query of a request target (an absolute-form one loses its scheme and authority). */
  static String originForm(String uri) {
    if (uri.isEmpty() || uri.equals("*")) return "/";
    if (uri.charAt(0) == '/') return uri;
    int scheme = uri.indexOf("://");
    if (scheme <= 0) return "/";
    int slash = uri.indexOf('/', scheme + 3);
    int query = uri.indexOf('?', scheme + 3);
    if (slash < 0 || (query >= 0 && query < slash)) return query < 0 ? "/" : "/" + uri.substring(query);
    return uri.substring(slash);
  }

  private static String path(String uri) {
    String target = originForm(uri);
    int q = target.indexOf('?');
    return q < 0 ? target : target.substring(0, q);
  }

  private static String withoutPort(String host) {
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      return close < 0 ? host : host.substring(0, close + 1);
    }
    int colon = host.lastIndexOf(':');
    String h = colon < 0 ? host : host.substring(0, colon);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }
}
