package dev.pier.router;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance side of one exchange: passes decoded response parts to the {@link
 * FrontendHandler}, which writes them to the client and asks for more only when the client has
 * taken them (back-pressure). Each backend connection serves exactly one exchange.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(BackendHandler.class);

  private final FrontendHandler frontend;
  private final Exchange exchange;

  BackendHandler(FrontendHandler frontend, Exchange exchange) {
    this.frontend = frontend;
    this.exchange = exchange;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpObject http && http.decoderResult().isFailure()) {
      ReferenceCountUtil.release(msg);
      frontend.onBackendInvalid(exchange);
      return;
    }
    if (msg instanceof HttpResponse response) frontend.onBackendResponse(exchange, response);
    if (msg instanceof HttpContent content) {
      frontend.onBackendContent(exchange, content);
    } else if (!(msg instanceof HttpResponse)) {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    frontend.onBackendClosed(exchange);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("backend {} failed: {}", exchange.backend, cause.toString());
    ctx.close();
  }
}
