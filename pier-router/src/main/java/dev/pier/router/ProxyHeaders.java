package dev.pier.router;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * Rewrites headers as a message crosses the router: hop-by-hop headers are dropped, forwarding
 * headers are added to requests, and responses are framed so the client can tell where they end.
 */
final class ProxyHeaders {
  static final String REQUEST_ID = "X-Request-Id";
  static final String FORWARDED_FOR = "X-Forwarded-For";
  static final String FORWARDED_PROTO = "X-Forwarded-Proto";
  static final String FORWARDED_PORT = "X-Forwarded-Port";
  static final String REQUEST_START = "X-Request-Start";

  /**
   * Headers meaningful only for one connection (RFC 9110 section 7.6.1). Transfer-Encoding is
   * kept: the codecs re-frame bodies from it. Upgrade is dropped because the router does not
   * tunnel upgraded connections yet, so the app answers as for a plain request.
   */
  private static final List<String> HOP_BY_HOP = List.of(
      "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade",
      "proxy-authenticate", "proxy-authorization");

  private ProxyHeaders() {}

  /** Returns the X-Forwarded-For value: incoming values (all headers) plus the client address. */
  static String forwardedFor(HttpRequest request, String clientAddress) {
    List<String> incoming = request.headers().getAll(FORWARDED_FOR);
    StringBuilder sb = new StringBuilder();
    for (String value : incoming) {
      String trimmed = value.trim();
      if (trimmed.isEmpty()) continue;
      if (!sb.isEmpty()) sb.append(", ");
      sb.append(trimmed);
    }
    if (!sb.isEmpty()) sb.append(", ");
    return sb.append(clientAddress).toString();
  }

  /**
   * Prepares a client request for a kept-alive HTTP/1.1 connection to an instance: the client's
   * hop-by-hop headers are dropped (so its {@code Connection: close} does not reach the app).
   */
  static void toBackend(
      HttpRequest request, String forwardedFor, int routerPort, String requestId, long nowMillis) {
    request.setProtocolVersion(HttpVersion.HTTP_1_1);
    HttpHeaders headers = request.headers();
    removeHopByHop(headers);
    headers.remove(HttpHeaderNames.EXPECT); // 100-continue is answered by the router itself
    headers.set(FORWARDED_FOR, forwardedFor);
    headers.set(FORWARDED_PROTO, "http");
    headers.set(FORWARDED_PORT, Integer.toString(routerPort));
    headers.set(REQUEST_ID, requestId);
    headers.set(REQUEST_START, Long.toString(nowMillis));
  }

  /**
   * Returns whether the connection an instance's final response came on can carry another
   * request after it: HTTP/1.1 without {@code Connection: close}, and a body whose end is known
   * from its framing rather than from the connection closing. Call before {@link #toClient}.
   */
  static boolean reusable(HttpResponse response, boolean headRequest) {
    if (!HttpVersion.HTTP_1_1.equals(response.protocolVersion())) return false;
    if (!HttpUtil.isKeepAlive(response)) return false;
    int code = response.status().code();
    return headRequest || code == 204 || code == 304
        || HttpUtil.isTransferEncodingChunked(response)
        || response.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
  }

  /** Returns whether a client request has no body (neither chunked nor a Content-Length > 0). */
  static boolean bodyless(HttpRequest request) {
    if (HttpUtil.isTransferEncodingChunked(request)) return false;
    try {
      return HttpUtil.getContentLength(request, 0L) == 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * Prepares an instance's response for the client and returns whether the client connection can
   * stay open after it.
   *
   * @param clientVersion the protocol version the client spoke
   * @param clientKeepAlive whether the client asked to keep the connection open
   * @param headRequest whether the request was HEAD (its response never has a body)
   */
  static boolean toClient(HttpResponse response, String requestId, HttpVersion clientVersion,
      boolean clientKeepAlive, boolean headRequest) {
    HttpHeaders headers = response.headers();
    removeHopByHop(headers);
    response.setProtocolVersion(HttpVersion.HTTP_1_1);
    headers.set(REQUEST_ID, requestId);

    int code = response.status().code();
    boolean bodyless = headRequest || code == 204 || code == 304 || code < 200;
    boolean chunked = HttpUtil.isTransferEncodingChunked(response);
    boolean sized = headers.contains(HttpHeaderNames.CONTENT_LENGTH);
    boolean keepAlive = clientKeepAlive;
    if (clientVersion.minorVersion() == 0 && clientVersion.majorVersion() == 1) {
      // HTTP/1.0 has no chunked framing: send the raw body and mark its end by closing.
      if (chunked) {
        HttpUtil.setTransferEncodingChunked(response, false);
        keepAlive = false;
      } else if (!sized && !bodyless) {
        keepAlive = false;
      }
      if (keepAlive) headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    } else if (!chunked && !sized && !bodyless) {
      // The app delimits the body by closing; re-frame it as chunks to keep the client open.
      HttpUtil.setTransferEncodingChunked(response, true);
    }
    if (!keepAlive) headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return keepAlive;
  }

  private static void removeHopByHop(HttpHeaders headers) {
    for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : connection.split(",")) {
        String name = token.trim();
        if (!name.isEmpty() && !name.equalsIgnoreCase("transfer-encoding")) headers.remove(name);
      }
    }
    for (String name : HOP_BY_HOP) headers.remove(name);
  }
}
