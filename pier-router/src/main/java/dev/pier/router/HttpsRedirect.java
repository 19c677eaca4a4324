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
 * Strict-Transport-Security}. ACME HTTP-01 challenges ({@code /.well-known/acme-challenge/TOKEN},
 * {@link #acmeChallenge}) are never redirected: a certificate authority fetches them over plain HTTP.
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
        && !acmeChallenge(path(request.uri()));
  }

  /**
   * Whether {@code path} is exactly {@code /.well-known/acme-challenge/TOKEN}, TOKEN one segment
   * of base64url characters ({@code [A-Za-z0-9_-]}, RFC 8555 section 8.3): no further {@code /},
   * no dots, no percent-encoding, so no form of {@code ..} reaches the app over plain HTTP.
   */
  static boolean acmeChallenge(String path) {
    if (!path.startsWith(ACME_CHALLENGE) || path.length() == ACME_CHALLENGE.length()) return false;
    for (int i = ACME_CHALLENGE.length(); i < path.length(); i++) {
      char c = path.charAt(i);
      boolean base64url = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_';
      if (!base64url) return false;
    }
    return true;
  }

  /**
   * The {@code Location} of the redirect: {@code https://HOST[:PORT]/path?query}, HOST the
   * normalised host name ({@link RouteTable#hostName}); null for a Host that is not a valid one
   * (such a request has no route, so never gets here).
   */
  static String location(String hostHeader, String uri, int httpsPort) {
    String host = RouteTable.hostName(hostHeader);
    if (host == null) return null;
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
}
