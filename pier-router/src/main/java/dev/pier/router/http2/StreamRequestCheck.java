package dev.pier.router.http2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Checks a stream's request head before it becomes an HTTP/1.1 request (RFC 9113 section 8.3.1):
 * a {@code :method} that is not a token, a {@code :path} with a space, a control or a non-ASCII
 * character (which an HTTP/1.1 instance would read as another request line), a {@code Host} that
 * names another authority than {@code :authority}, or a {@code content-length} that is not a
 * number or promises a body the stream ended without (Netty's codec resets most of these first,
 * and one whose DATA disagrees with its content-length). Such a request goes on as a malformed one
 * (a failed decoder result, as the HTTP/1.1 decoder gives), so the request handlers answer {@code
 * 400} on its stream and log it, and no instance is asked; the rest of the stream is discarded.
 * A {@code Host} equal to {@code :authority} is dropped (the conversion writes {@code :authority}
 * as {@code Host}).
 */
final class StreamRequestCheck extends ChannelInboundHandlerAdapter {
  static final String NAME = "h2-check";
  private boolean refused;
  private static FullHttpRequest badRequest(CharSequence authority, String problem) {
    FullHttpRequest bad = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
    bad.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(problem)));
    if (authority != null) bad.headers().set(HttpHeaderNames.HOST, authority);
    return bad;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      ReferenceCountUtil.release(msg); // the body or trailers of a refused request
      return;
    }
    if (msg instanceof Http2HeadersFrame frame && frame.headers().method() != null) {
      String problem = problem(frame.headers(), frame.isEndStream());
      if (problem != null) {
        refused = true;
        ctx.fireChannelRead(badRequest(frame.headers().authority(), problem));
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  /** Why {@code headers} is not a request to pass on, or null when it is one. */
  static String problem(Http2Headers headers, boolean endStream) {
    CharSequence method = headers.method();
    if (method.isEmpty() || !isToken(method)) return "malformed :method";
    CharSequence path = headers.path();
    if (path != null && !isVisibleAscii(path)) return "malformed :path";
    CharSequence authority = headers.authority();
    java.util.List<CharSequence> hosts = headers.getAll(HttpHeaderNames.HOST);
    if (hosts.size() > 1) return "more than one Host";
    if (authority != null && hosts.size() == 1) {
      if (!authority.toString().equalsIgnoreCase(hosts.getFirst().toString())) {
        return "Host differs from :authority";
      }
      headers.remove(HttpHeaderNames.HOST);
    }
    java.util.List<CharSequence> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
    if (!lengths.isEmpty()) {
      long length = -1;
      for (CharSequence value : lengths) {
        long n = parseLength(value);
        if (n < 0 || (length >= 0 && n != length)) return "malformed content-length";
        length = n;
      }
      if (endStream && length > 0) return "content-length without a body";
    }
    return null;
  }

  private static long parseLength(CharSequence value) {
    String s = value.toString().trim();
    if (s.isEmpty() || s.length() > 18) return -1;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') return -1;
    }
    return Long.parseLong(s);
  }

  private static boolean isVisibleAscii(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7f) return false;
    }
    return true;
  }

  /** RFC 9110 token characters. */
  private static boolean isToken(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) return false;
    }
    return true;
  }
}
