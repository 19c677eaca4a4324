package dev.pier.router.http2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.util.AsciiString;
import java.util.Collection;
import java.util.List;

/**
 * Answers {@code Upgrade: h2c} (RFC 7540 section 3.2) on the first request of a plain connection:
 * {@code 101}, then the connection speaks HTTP/2 and the upgrade request is served as its stream
 * 1. A request asking for another protocol (a WebSocket) or none passes through untouched and
 * unbuffered; an h2c upgrade on a later request is served as HTTP/1.1 without its h2c headers. Only a
 * request without a body is upgraded; an h2c request with one is served as HTTP/1.1 (see {@link
 * #shouldHandleUpgradeRequest}), so nothing is aggregated here ({@link #MAX_UPGRADE_BODY} is a
 * guard that a request without a body never reaches).
 */
final class H2cUpgrade extends HttpServerUpgradeHandler {
  static final int MAX_UPGRADE_BODY = 64 * 1024;

  /** No request of the connection has been read yet. */
  private boolean first = true;

  H2cUpgrade(Http2Front front, SourceCodec codec) {
    super(codec, protocol -> AsciiString.contentEqualsIgnoreCase(protocol,
        Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME) ? new Codec(front) : null, MAX_UPGRADE_BODY,
        true);
  }

  /**
   * An h2c upgrade request that could not be upgraded (no {@code HTTP2-Settings}, say) is served
   * as HTTP/1.1: passed on as head and body like any other, without its upgrade headers.
   */
  @Override
  protected void decode(ChannelHandlerContext ctx, HttpObject msg, List<Object> out)
      throws Exception {
    if (msg instanceof HttpRequest request) {
      // Only the connection's first request may switch it to HTTP/2: a later one may be pipelined
      // behind a response still going out, which the switch would cut off. A later h2c request
      // loses its h2c headers and is served as HTTP/1.1.
      if (!first && isH2c(request)) dropH2cHeaders(request.headers());
      first = false;
    }
    super.decode(ctx, msg, out);
    if (out.size() == 1 && out.getFirst() instanceof FullHttpRequest full) {
      dropH2cHeaders(full.headers());
      out.clear();
      out.add(StreamMessages.head(full));
      out.add(StreamMessages.last(full));
    }
  }

  /**
   * Only a request without a body is upgraded (so none is ever buffered here): one with a body
   * (curl {@code --http2} offers h2c on every plain request) loses its h2c headers and is served
   * as HTTP/1.1, with the body streamed under the normal limits.
   */
  @Override
  protected boolean shouldHandleUpgradeRequest(HttpRequest req) {
    if (!isH2c(req)) return false;
    if (!hasBody(req.headers())) return true;
    dropH2cHeaders(req.headers());
    return false;
  }

  private static boolean isH2c(HttpRequest req) {
    String upgrade = req.headers().get(HttpHeaderNames.UPGRADE);
    return upgrade != null && upgrade.trim().equalsIgnoreCase("h2c");
  }

  private static boolean hasBody(HttpHeaders headers) {
    if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) return true;
    String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
    return length != null && !length.trim().equals("0");
  }

  /** Removes {@code Upgrade}, {@code HTTP2-Settings} and the Connection tokens naming them. */
  static void dropH2cHeaders(HttpHeaders headers) {
    headers.remove(HttpHeaderNames.UPGRADE).remove(Http2CodecUtil.HTTP_UPGRADE_SETTINGS_HEADER);
    List<String> kept = new java.util.ArrayList<>();
    for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : value.split(",")) {
        String t = token.trim();
        if (!t.isEmpty() && !t.equalsIgnoreCase("upgrade")
            && !t.equalsIgnoreCase(Http2CodecUtil.HTTP_UPGRADE_SETTINGS_HEADER.toString())) {
          kept.add(t);
        }
      }
    }
    headers.remove(HttpHeaderNames.CONNECTION);
    if (!kept.isEmpty()) headers.set(HttpHeaderNames.CONNECTION, String.join(", ", kept));
  }

  /** Netty's h2c upgrade, and the connection's HTTP/1.1 handlers dropped for good. */
  private static final class Codec implements UpgradeCodec {
    private final Http2Front front;
    private final Http2FrameCodec frameCodec;
    private final Http2ServerUpgradeCodec upgrade;

    Codec(Http2Front front) {
      this.front = front;
      this.frameCodec = front.frameCodec();
      this.upgrade = new Http2ServerUpgradeCodec(frameCodec, front.multiplexer());
    }

    @Override
    public Collection<CharSequence> requiredUpgradeHeaders() {
      return upgrade.requiredUpgradeHeaders();
    }

    @Override
    public boolean prepareUpgradeResponse(ChannelHandlerContext ctx, FullHttpRequest request,
        HttpHeaders headers) {
      return upgrade.prepareUpgradeResponse(ctx, request, headers);
    }

    @Override
    public void upgradeTo(ChannelHandlerContext ctx, FullHttpRequest request) {
      front.dropHttp1(ctx.pipeline(), ctx.handler());
      upgrade.upgradeTo(ctx, request);
      ctx.pipeline().addLast(ConnectionErrors.NAME, new ConnectionErrors());
      ctx.pipeline().addBefore(ctx.name(), ConnectionIdle.NAME, front.connectionIdle(frameCodec));
      front.started(ctx.channel());
    }
  }
}
