package dev.pier.router.http2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;

/**
 * After the TLS handshake: {@code h2} chosen by ALPN makes the connection HTTP/2; {@code
 * http/1.1}, or a client that sent no ALPN, keeps the HTTP/1.1 handlers (WebSockets included).
 * Bytes read before the handshake ended are passed on once the pipeline is set.
 */
final class AlpnSwitch extends ApplicationProtocolNegotiationHandler {
  private final Http2Front front;

  AlpnSwitch(Http2Front front) {
    super(ApplicationProtocolNames.HTTP_1_1);
    this.front = front;
  }

  @Override
  protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
    if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
      front.switchToHttp2(ctx.pipeline());
    }
  }

  @Override
  protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // no TLS, no HTTP: nothing to answer
  }
}
