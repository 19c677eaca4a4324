package dev.pier.router;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Iterator;

/**
 * The one host a request names, which picks its app. A request that names none, or two that may
 * differ, is refused rather than guessed at: two {@code Host} headers (RFC 9112 section 3.2: a
 * 400), or a request target in absolute form ({@code GET http://a.example/ HTTP/1.1}) whose host
 * is not the {@code Host} header's. Otherwise a front proxy and the router could route one request
 * to different apps.
 */
final class HostHeader {
  private HostHeader() {}

  /** Returns the request's Host header, or null if it is missing, blank, repeated or contradicted. */
  static String of(HttpRequest request) {
    Iterator<String> values = request.headers().valueStringIterator(HttpHeaderNames.HOST);
    if (!values.hasNext()) return null;
    String host = values.next();
    if (host == null || host.isBlank() || values.hasNext()) return null;
    String uri = request.uri();
    if (!uri.isEmpty() && uri.charAt(0) != '/' && !sameHost(authority(uri), host)) return null;
    return host;
  }

  /** The authority of an absolute-form target, null if {@code uri} is not one (for example {@code *}). */
  private static String authority(String uri) {
    int scheme = uri.indexOf("://");
    if (scheme <= 0) return null;
    int start = scheme + 3;
    int end = start;
    while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) end++;
    String authority = uri.substring(start, end);
    return authority.substring(authority.lastIndexOf('@') + 1); // without user info
  }

  private static boolean sameHost(String authority, String host) {
    return authority == null || withoutPort(authority).equalsIgnoreCase(withoutPort(host.trim()));
  }

  private static String withoutPort(String hostAndPort) {
    if (hostAndPort.startsWith("[")) { // IPv6 literal
      int close = hostAndPort.indexOf(']');
      return close < 0 ? hostAndPort : hostAndPort.substring(0, close + 1);
    }
    int colon = hostAndPort.lastIndexOf(':');
    return colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
  }
}
