package dev.pier.router;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Builds the small HTML pages the router answers with when it, not the app, decides. */
final class ErrorPages {
  static final String ROUTER_ERROR_HEADER = "X-Router-Error";

  private ErrorPages() {}

  /**
   * Returns a complete response for {@code error}, carrying {@code X-Router-Error} and {@code
   * X-Request-Id}; {@code keepAlive} false adds {@code Connection: close}.
   */
  static FullHttpResponse page(RouterError error, String requestId, boolean keepAlive) {
    String title = escape(error.description());
    String html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title
        + "</title></head>\n<body><h1>" + title + "</h1>\n<p>" + escape(error.explanation())
        + "</p>\n<p><small>Request ID: " + escape(requestId) + "</small></p></body></html>\n";
    return page(error, html, requestId, keepAlive);
  }

  /**
   * The maintenance answer: {@code 503} with the app's maintenance page, {@code Retry-After},
   * {@code X-Router-Error: maintenance} and {@code X-Request-Id}.
   */
  static FullHttpResponse maintenance(dev.pier.model.Maintenance m, String requestId, boolean keepAlive) {
    FullHttpResponse response = page(RouterError.MAINTENANCE, m.page(), requestId, keepAlive);
    response.headers().setInt(HttpHeaderNames.RETRY_AFTER, m.retryAfterSeconds());
    return response;
  }

  private static FullHttpResponse page(RouterError error, String html, String requestId, boolean keepAlive) {
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1, error.status(), Unpooled.wrappedBuffer(body));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store")
        .set(ROUTER_ERROR_HEADER, error.headerValue())
        .set(ProxyHeaders.REQUEST_ID, requestId);
    if (!keepAlive) response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return response;
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
