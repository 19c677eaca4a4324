package dev.pier.router.http2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameStreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of an HTTP/2 connection: logs errors at debug level (a client's misbehaviour is not
 * the operator's warning). HTTP/2 errors are the codec's to answer: RST_STREAM for one stream's,
 * GOAWAY with their code and a close for the connection's (a bad preface, a reset flood); closing
 * here first would send GOAWAY NO_ERROR instead. Any other error (I/O) closes the connection.
 */
final class ConnectionErrors extends ChannelInboundHandlerAdapter {
  static final String NAME = "h2-errors";
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionErrors.class);

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("HTTP/2 client connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
    if (!http2Error(cause)) ctx.channel().close(); // an I/O error, say
  }

  /** True for an HTTP/2 error: the codec answers it itself (RST_STREAM, or GOAWAY and close). */
  private static boolean http2Error(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof Http2FrameStreamException || t instanceof Http2Exception) return true;
    }
    return false;
  }
}
