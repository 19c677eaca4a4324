package dev.pier.router;

import dev.pier.model.Route;
import dev.pier.model.RouteLimits;
import dev.pier.model.RouteTable;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.function.Supplier;

/**
 * Answers a request's {@code Expect: 100-continue} at once with {@code 100 Continue}, so the
 * client sends its body without waiting for the instance, and passes the request on.
 *
 * <p>Unlike Netty's {@code HttpServerExpectContinueHandler} it leaves the {@code Expect} header on
 * the request: {@link FrontendHandler} keeps such a request off pooled connections ({@link
 * ProxyHeaders#resendable}), and {@link ProxyHeaders#toBackend} drops the header before the
 * request reaches the instance.
 *
 * <p>A request whose declared {@code Content-Length} is over its app's largest body ({@link
 * RouteLimits#maxBodyBytes()}) gets no {@code 100 Continue}: the {@link FrontendHandler} answers
 * it 413, and the client never sends the body.
 */
final class ContinueHandler extends ChannelInboundHandlerAdapter {
  private final Supplier<RouteTable> routes;

  ContinueHandler(Supplier<RouteTable> routes) {
    this.routes = routes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request && !request.decoderResult().isFailure()
        && HttpUtil.is100ContinueExpected(request) && !overBodyLimit(request)) {
      FullHttpResponse accept = new DefaultFullHttpResponse(
          HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER);
      accept.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
      ctx.writeAndFlush(accept).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
    ctx.fireChannelRead(msg);
  }

  private boolean overBodyLimit(HttpRequest request) {
    String host = HostHeader.of(request);
    Route route = host == null ? null : routes.get().lookup(host);
    long max = route == null ? 0 : route.limits().maxBodyBytes();
    return max > 0 && declaredLength(request) > max;
  }

  /**
   * The request's {@code Content-Length}, 0 when absent or not one number, {@link Long#MAX_VALUE}
   * when too large for a long; never throws (unlike {@link HttpUtil#getContentLength}).
   */
  static long declaredLength(HttpRequest request) {
    String value = request.headers().get(HttpHeaderNames.CONTENT_LENGTH);
    if (value == null || value.isEmpty()) return 0;
    long n = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') return 0;
      n = n > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : n * 10 + (c - '0');
    }
    return n;
  }
}
