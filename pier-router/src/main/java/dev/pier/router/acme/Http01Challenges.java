package dev.pier.router.acme;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ACME HTTP-01 challenges being validated now: for a token published for a host name, {@code
 * GET http://HOST/.well-known/acme-challenge/TOKEN} gets the key authorization as text/plain. Any
 * other request (another host, an unknown token) is left to the app, which may answer its own
 * challenges. Thread-safe: published from the control plane, read on the event loops.
 */
public final class Http01Challenges {
  /** The path prefix RFC 8555 (8.3) validates under. */
  public static final String PREFIX = "/.well-known/acme-challenge/";

  private record Entry(String host, String keyAuthorization) {}

  private final Map<String, Entry> byToken = new ConcurrentHashMap<>();

  /** Answers {@code token} for {@code host} from now on. */
  public void publish(String host, String token, String keyAuthorization) {
    byToken.put(token, new Entry(host.toLowerCase(Locale.ROOT), keyAuthorization));
  }

  /** Stops answering {@code token}. */
  public void withdraw(String token) {
    byToken.remove(token);
  }

  /** How many tokens are answered now. */
  public int size() {
    return byToken.size();
  }

  /**
   * The response to {@code request} with Host header {@code host} if it asks for a published
   * token of that host, else null (the request goes on to the app). Cheap for every other
   * request: one prefix test.
   */
  public FullHttpResponse answer(String host, HttpRequest request, boolean keepAlive) {
    String uri = request.uri();
    if (!uri.startsWith(PREFIX) || byToken.isEmpty()) return null;
    if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) return null;
    int end = uri.indexOf('?');
    String token = uri.substring(PREFIX.length(), end < 0 ? uri.length() : end);
    Entry entry = byToken.get(token);
    if (entry == null || !entry.host().equals(hostName(host))) return null;
    byte[] body = entry.keyAuthorization().getBytes(StandardCharsets.US_ASCII);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        HttpMethod.HEAD.equals(request.method()) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    if (!keepAlive) response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return response;
  }

  /** {@code host} without its port and trailing dot, lower case. */
  static String hostName(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    int colon = h.lastIndexOf(':');
    if (colon > 0 && h.indexOf(':') == colon) h = h.substring(0, colon);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }
}
