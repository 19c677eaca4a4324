package dev.pier.router;

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

/**
 * Answers a request's {@code Expect: 100-continue} at once with {@code 100 Continue}, so the
 * client sends its body without waiting for the instance, and passes the request on.
 *
 * <p>Unlike Netty's {@code HttpServerExpectContinueHandler} it leaves the {@code Expect} header on
 * the request: {@link FrontendHandler} keeps such a request off pooled connections ({@link
 * ProxyHeaders#resendable}), and {@link ProxyHeaders#toBackend} drops the header before the
 * request reaches the instance.
 */
final class ContinueHandler extends ChannelInboundHandlerAdapter {
  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request && HttpUtil.is100ContinueExpected(request)) {
      FullHttpResponse accept = new DefaultFullHttpResponse(
          HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER);
      accept.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
      ctx.writeAndFlush(accept).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
    ctx.fireChannelRead(msg);
  }
}
