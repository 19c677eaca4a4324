package dev.pier.router.http2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Makes a stream's HTTP/1.1 messages look like those of an HTTP/1.1 connection to the handlers
 * after it, and theirs fit a stream.
 *
 * <p>Inbound: a request without a body arrives as one {@link FullHttpRequest}; it is passed on as
 * a head and an (empty) last content, as the HTTP/1.1 decoder does. The {@code x-http2-*} headers
 * Netty's conversion adds (stream id, scheme, path) are removed, so they never reach an instance.
 *
 * <p>Outbound: an empty {@link ByteBuf} (which HTTP/1.1 handlers write to flush before a close)
 * succeeds at once; a {@link FileRegion} (a static file) goes as chunks of {@link #FILE_CHUNK}
 * bytes, written only as fast as the stream can take them (a ChunkedWriteHandler before this one).
 */
final class StreamMessages extends ChannelDuplexHandler {
  static final int FILE_CHUNK = 16 * 1024;
  private static final String EXTENSION_PREFIX = "x-http2-";

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FullHttpRequest full) {
      dropExtensions(full.headers());
      ctx.fireChannelRead(head(full));
      ctx.fireChannelRead(last(full));
    } else {
      if (msg instanceof HttpRequest request) dropExtensions(request.headers());
      ctx.fireChannelRead(msg);
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof ByteBuf buf && !buf.isReadable()) {
      buf.release();
      promise.setSuccess();
    } else if (msg instanceof FileRegion region) {
      ctx.write(new RegionChunks(region), promise);
    } else {
      ctx.write(msg, promise);
    }
  }

  /** The head of {@code full} (same headers), as the HTTP/1.1 decoder passes it on. */
  static HttpRequest head(FullHttpRequest full) {
    HttpRequest head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(),
        full.headers());
    head.setDecoderResult(full.decoderResult());
    return head;
  }

  /** The body and trailers of {@code full}, taking over its reference. */
  static LastHttpContent last(FullHttpRequest full) {
    DefaultLastHttpContent last = new DefaultLastHttpContent(full.content());
    last.trailingHeaders().set(full.trailingHeaders());
    return last;
  }

  private static void dropExtensions(HttpHeaders headers) {
    List<String> names = null;
    for (Map.Entry<String, String> e : headers) {
      if (e.getKey().toLowerCase(Locale.ROOT).startsWith(EXTENSION_PREFIX)) {
        if (names == null) names = new ArrayList<>();
        names.add(e.getKey());
      }
    }
    if (names != null) names.forEach(headers::remove);
  }

  /** A file region read as {@link HttpContent} chunks (none of them the last one). */
  private static final class RegionChunks implements ChunkedInput<HttpContent> {
    private final FileRegion region;
    private long done;

    RegionChunks(FileRegion region) {
      this.region = region;
    }

    @Override
    public boolean isEndOfInput() {
      return done >= region.count();
    }

    @Override
    public void close() {
      region.release();
    }

    @Deprecated
    @Override
    public HttpContent readChunk(ChannelHandlerContext ctx) throws Exception {
      return readChunk(ctx.alloc());
    }

    @Override
    public HttpContent readChunk(ByteBufAllocator allocator) throws Exception {
      if (isEndOfInput()) return null;
      int size = (int) Math.min(FILE_CHUNK, region.count() - done);
      ByteBuf chunk = allocator.buffer(size, size);
      try {
        while (chunk.writableBytes() > 0) {
          long n = region.transferTo(new Sink(chunk), done);
          if (n <= 0) throw new IOException("static file shorter than announced");
          done += n;
        }
        return new DefaultHttpContent(chunk);
      } catch (IOException | RuntimeException e) {
        chunk.release();
        throw e;
      }
    }

    @Override
    public long length() {
      return region.count();
    }

    @Override
    public long progress() {
      return done;
    }
  }

  /** Takes bytes into a buffer up to its capacity (the file channel stops when it is full). */
  private record Sink(ByteBuf target) implements WritableByteChannel {
    @Override
    public int write(ByteBuffer src) {
      int n = Math.min(src.remaining(), target.writableBytes());
      ByteBuffer slice = src.slice(src.position(), n);
      target.writeBytes(slice);
      src.position(src.position() + n);
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}
