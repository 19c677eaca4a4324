package dev.pier.router;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
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
  /** Methods a request may be sent again with (RFC 9110 9.2.2). */
  private static final java.util.Set<HttpMethod> IDEMPOTENT = java.util.Set.of(
      HttpMethod.GET, HttpMethod.HEAD,
      HttpMethod.OPTIONS, HttpMethod.TRACE,
      HttpMethod.PUT, HttpMethod.DELETE);

  static final String REQUEST_ID = "X-Request-Id";
  static final String FORWARDED_FOR = "X-Forwarded-For";
  static final String FORWARDED_PROTO = "X-Forwarded-Proto";
  static final String FORWARDED_PORT = "X-Forwarded-Port";
  private static final io.netty.util.AsciiString FORWARDED = io.netty.util.AsciiString.cached("forwarded");
  private static final io.netty.util.AsciiString FORWARDED_SSL = io.netty.util.AsciiString.cached("x-forwarded-ssl");
  static final String REQUEST_START = "X-Request-Start";

  /**
   * Headers meaningful only for one connection (RFC 9110 section 7.6.1). Transfer-Encoding is
   * kept: the codecs re-frame bodies from it. Upgrade is dropped from plain requests (and put back
   * on upgrade requests, see {@link #upgradeProtocol}), so an app never sees a protocol switch
   * the router will not tunnel.
   */
  private static final List<io.netty.util.AsciiString> HOP_BY_HOP = List.of(
      HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.PROXY_CONNECTION,
      HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.UPGRADE,
      HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION);
  /** The header names set on every request, as {@link io.netty.util.AsciiString}s (same case): hashed once. */
  private static final io.netty.util.AsciiString REQUEST_ID_NAME = io.netty.util.AsciiString.cached(REQUEST_ID);
  private static final io.netty.util.AsciiString FORWARDED_FOR_NAME = io.netty.util.AsciiString.cached(FORWARDED_FOR);
  private static final io.netty.util.AsciiString FORWARDED_PROTO_NAME = io.netty.util.AsciiString.cached(FORWARDED_PROTO);
  private static final io.netty.util.AsciiString FORWARDED_PORT_NAME = io.netty.util.AsciiString.cached(FORWARDED_PORT);
  private static final io.netty.util.AsciiString REQUEST_START_NAME = io.netty.util.AsciiString.cached(REQUEST_START);

  private ProxyHeaders() {}

  /** Returns the X-Forwarded-For value: incoming values (all headers) plus the client address. */
  static String forwardedFor(HttpRequest request, String clientAddress) {
    List<String> incoming = request.headers().getAll(FORWARDED_FOR_NAME);
    if (incoming.isEmpty()) return clientAddress;
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
   * Returns the {@code Upgrade} value of a request that asks to switch protocols (a WebSocket
   * handshake, for example), or null for a plain request. An upgrade request is HTTP/1.1, has a
   * {@code Connection} token {@code upgrade} (any case, possibly in a list such as {@code
   * keep-alive, Upgrade}) and a non-blank {@code Upgrade} header, and has no body (the router
   * tunnels only bodyless upgrade requests, like every WebSocket handshake; one with a body is
   * proxied as a plain request). HEAD and CONNECT never upgrade.
   */
  static String upgradeProtocol(HttpRequest request) {
    if (!HttpVersion.HTTP_1_1.equals(request.protocolVersion())) return null;
    HttpMethod method = request.method();
    if (HttpMethod.HEAD.equals(method) || HttpMethod.CONNECT.equals(method)) return null;
    HttpHeaders headers = request.headers();
    String upgrade = headers.get(HttpHeaderNames.UPGRADE);
    if (upgrade == null || upgrade.isBlank()) return null;
    if (!headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
      return null;
    }
    return bodyless(request) ? upgrade.trim() : null;
  }

  /**
   * Prepares a client request for a kept-alive HTTP/1.1 connection to an instance: the client's
   * hop-by-hop headers are dropped (so its {@code Connection: close} does not reach the app).
   */
  static void toBackend(
      HttpRequest request, String forwardedFor, int routerPort, String requestId, long nowMillis) {
    toBackend(request, forwardedFor, routerPort, requestId, nowMillis, null);
  }

  /**
   * Like {@link #toBackend(HttpRequest, String, int, String, long)}, but for an upgrade request
   * when {@code upgrade} is not null: the request then keeps {@code Connection: upgrade} and
   * {@code Upgrade: upgrade}, and no other hop-by-hop header.
   */
  static void toBackend(HttpRequest request, String forwardedFor, int routerPort,
      String requestId, long nowMillis, String upgrade) {
    toBackend(request, forwardedFor, "http", routerPort, requestId, nowMillis, upgrade);
  }

  /**
   * As above, for a request that came in over {@code proto} ({@code http}, or {@code https} on
   * the router's TLS port): the app sees it as {@code X-Forwarded-Proto}.
   */
  static void toBackend(HttpRequest request, String forwardedFor, String proto, int routerPort,
      String requestId, long nowMillis, String upgrade) {
    request.setProtocolVersion(HttpVersion.HTTP_1_1);
    HttpHeaders headers = request.headers();
    removeHopByHop(headers);
    if (upgrade != null) markUpgrade(headers, upgrade);
    headers.remove(HttpHeaderNames.EXPECT); // 100-continue is answered by the router itself
    // What a client says about the connection is never passed on: frameworks that read RFC 7239's
    // Forwarded (or X-Forwarded-Ssl) would take a plain request for HTTPS.
    headers.remove(FORWARDED);
    headers.remove(FORWARDED_SSL);
    headers.set(FORWARDED_FOR_NAME, forwardedFor);
    headers.set(FORWARDED_PROTO_NAME, proto);
    headers.set(FORWARDED_PORT_NAME, Integer.toString(routerPort));
    headers.set(REQUEST_ID_NAME, requestId);
    headers.set(REQUEST_START_NAME, Long.toString(nowMillis));
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
   * Returns whether a client request may go on a pooled instance connection, with its body kept
   * until the instance answers so it can be re-sent once. Only idempotent methods ({@code GET},
   * {@code HEAD}, {@code OPTIONS}, {@code TRACE}, {@code PUT}, {@code DELETE}): when a connection
   * closes before any answer, the instance may still have read the request and acted on it (it
   * crashed before answering), and only an idempotent request may then be sent again (RFC 9110
   * 9.2.2), so a POST or PATCH is never sent twice. Of those: any without a body, or HTTP/1.1 ones
   * with a {@code Content-Length} of at most {@code maxBody}, not chunked and without an {@code
   * Expect} header. Call before {@link #toBackend}, which drops {@code Expect} and makes every
   * request HTTP/1.1.
   */
  static boolean resendable(HttpRequest request, long maxBody) {
    if (!IDEMPOTENT.contains(request.method())) return false;
    if (bodyless(request)) return true;
    if (!HttpVersion.HTTP_1_1.equals(request.protocolVersion())) return false;
    HttpHeaders headers = request.headers();
    if (HttpUtil.isTransferEncodingChunked(request) || headers.contains(HttpHeaderNames.EXPECT)) {
      return false;
    }
    try {
      long length = HttpUtil.getContentLength(request, -1L);
      return length >= 0 && length <= maxBody;
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
    headers.set(REQUEST_ID_NAME, requestId);

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

  /**
   * Prepares an instance's {@code 101 Switching Protocols} answer to an upgrade request for the
   * client: the instance's headers (for example {@code Sec-WebSocket-Accept}) are kept, other
   * hop-by-hop headers dropped, and {@code Connection: upgrade} with the instance's {@code
   * Upgrade} value (the requested one if it sent none) set.
   */
  static void toClientUpgrade(HttpResponse response, String requestId, String requested) {
    HttpHeaders headers = response.headers();
    String upgrade = headers.get(HttpHeaderNames.UPGRADE);
    removeHopByHop(headers);
    response.setProtocolVersion(HttpVersion.HTTP_1_1);
    markUpgrade(headers, upgrade == null || upgrade.isBlank() ? requested : upgrade);
    headers.set(REQUEST_ID, requestId);
  }

  private static void markUpgrade(HttpHeaders headers, String upgrade) {
    headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    headers.set(HttpHeaderNames.UPGRADE, upgrade);
  }

  private static void removeHopByHop(HttpHeaders headers) {
    for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : connection.split(",")) {
        String name = token.trim();
        if (!name.isEmpty() && !name.equalsIgnoreCase("transfer-encoding")) headers.remove(name);
      }
    }
    for (io.netty.util.AsciiString name : HOP_BY_HOP) headers.remove(name);
  }
}
