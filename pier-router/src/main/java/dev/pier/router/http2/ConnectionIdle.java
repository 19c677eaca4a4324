package dev.pier.router.http2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Closes an HTTP/2 connection (GOAWAY first) that was idle for the idle timeout while no stream
 * was open; a stream that waits for its answer keeps its connection (its own idle handler and the
 * response timeout apply to it).
 */
final class ConnectionIdle extends ChannelInboundHandlerAdapter {
  static final String NAME = "h2-idle";
  private final Http2ConnectionHandler codec;

  ConnectionIdle(Http2ConnectionHandler codec) {
    this.codec = codec;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      if (codec.connection().numActiveStreams() == 0) ctx.channel().close(); // through the codec
      ReferenceCountUtil.release(evt);
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }
}
