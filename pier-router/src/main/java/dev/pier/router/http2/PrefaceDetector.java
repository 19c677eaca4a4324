package dev.pier.router.http2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;

/**
 * The first handler of a plain connection: looks at its first bytes. The HTTP/2 connection
 * preface ({@code PRI * HTTP/2.0...}, h2c with prior knowledge) switches the connection to
 * HTTP/2; anything else removes this handler at the first byte that differs (for an HTTP/1.1
 * request: the first byte), passing the bytes on untouched.
 */
final class PrefaceDetector extends ByteToMessageDecoder {
  private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();
  private final Http2Front front;

  PrefaceDetector(Http2Front front) {
    this.front = front;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
    if (!ByteBufUtil.equals(in, in.readerIndex(), PREFACE, 0, n)) {
      ctx.pipeline().remove(this); // HTTP/1.1: the bytes go on as they came
    } else if (n == PREFACE.readableBytes()) {
      front.switchToHttp2(ctx.pipeline()); // adds after this handler, which then hands its bytes
      ctx.pipeline().remove(this);
    }
    // else: a prefix of the preface so far; the decoder reads more (auto-read is off)
  }
}
