package dev.pier.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * An HTTP/2 client that writes whatever frames a test asks for (a flood, a reset, garbage) on one
 * socket, and reads the router's frames as {@link Frame}s. No flow control, no checks.
 */
final class RawH2Client implements AutoCloseable {
  /** One frame read: its type, stream, and for HEADERS the status, for GOAWAY/RST the code. */
  record Frame(String type, int stream, String status, long code, int length) {}

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final EmbeddedChannel encoder = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
  private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
  private final DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader();
  private final ByteBuf received = Unpooled.buffer();
  private final List<Frame> frames = new ArrayList<>();
  private boolean closed;
  private final java.util.Map<Integer, Http2Headers> headersByStream = new java.util.concurrent.ConcurrentHashMap<>();

  RawH2Client(Socket connected) throws IOException {
    this.socket = connected;
    socket.setSoTimeout(200);
    out = socket.getOutputStream();
    in = socket.getInputStream();
  }

  /** The last HEADERS frame read on {@code stream} (call after awaiting it), or null. */
  Http2Headers headersOf(int stream) {
    return headersByStream.get(stream);
  }

  /** Sends the connection preface and an empty SETTINGS frame. */
  RawH2Client preface() throws IOException {
    raw(Http2CodecUtil.connectionPrefaceBuf());
    writer.writeSettings(ctx(), new Http2Settings(), ctx().newPromise());
    return flush();
  }

  RawH2Client headers(int stream, Http2Headers headers, boolean endStream) throws IOException {
    try {
      writer.writeHeaders(ctx(), stream, headers, 0, endStream, ctx().newPromise());
    } catch (Exception e) {
      throw new IOException(e);
    }
    return this;
  }

  RawH2Client data(int stream, byte[] bytes, boolean endStream) {
    writer.writeData(ctx(), stream, Unpooled.wrappedBuffer(bytes), 0, endStream, ctx().newPromise());
    return this;
  }

  RawH2Client reset(int stream) {
    writer.writeRstStream(ctx(), stream, 8 /* CANCEL */, ctx().newPromise());
    return this;
  }

  /** Queues raw bytes (garbage, or the preface). */
  RawH2Client raw(ByteBuf bytes) {
    ctx().write(bytes.retainedDuplicate());
    return this;
  }

  /** Writes everything queued to the socket; a connection the router closed is not an error. */
  RawH2Client flush() throws IOException {
    encoder.flushOutbound();
    ByteBuf buf;
    while ((buf = encoder.readOutbound()) != null) {
      try {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        if (!closed) out.write(bytes);
      } catch (IOException e) {
        closed = true; // reset by the router: what some tests expect
      } finally {
        buf.release();
      }
    }
    if (!closed) {
      try {
        out.flush();
      } catch (IOException e) {
        closed = true;
      }
    }
    return this;
  }

  /** Waits up to {@code millis} for a frame matching {@code wanted}; null if none came. */
  Frame await(Predicate<Frame> wanted, long millis) throws Exception {
    long deadline = System.nanoTime() + millis * 1_000_000;
    int seen = 0;
    while (true) {
      for (; seen < frames.size(); seen++) {
        if (wanted.test(frames.get(seen))) return frames.get(seen);
      }
      if (closed || System.nanoTime() > deadline) return null;
      readSome();
    }
  }

  /** Reads until the router closes the connection; true if it did within {@code millis}. */
  boolean awaitClosed(long millis) throws Exception {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (!closed && System.nanoTime() < deadline) readSome();
    return closed;
  }

  List<Frame> frames() {
    return frames;
  }

  private void readSome() throws Exception {
    byte[] chunk = new byte[16 * 1024];
    int n;
    try {
      n = in.read(chunk);
    } catch (SocketTimeoutException e) {
      return;
    } catch (IOException e) {
      closed = true;
      return;
    }
    if (n < 0) {
      closed = true;
      return;
    }
    received.writeBytes(chunk, 0, n);
    while (received.readableBytes() >= 9) {
      int length = received.getUnsignedMedium(received.readerIndex());
      if (received.readableBytes() < 9 + length) break;
      reader.readFrame(ctx(), received.readSlice(9 + length), listener);
    }
    received.discardReadBytes();
  }

  private final Http2FrameAdapter listener = new Http2FrameAdapter() {
    @Override
    public void onHeadersRead(ChannelHandlerContext c, int streamId, Http2Headers headers,
        int padding, boolean endStream) {
      headersByStream.put(streamId, headers);
      frames.add(new Frame("HEADERS", streamId, String.valueOf(headers.status()), 0, 0));
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext c, int streamId, Http2Headers headers,
        int streamDependency, short weight, boolean exclusive, int padding, boolean endStream) {
      onHeadersRead(c, streamId, headers, padding, endStream);
    }

    @Override
    public int onDataRead(ChannelHandlerContext c, int streamId, ByteBuf data, int padding,
        boolean endOfStream) {
      frames.add(new Frame(endOfStream ? "DATA_END" : "DATA", streamId, null, 0,
          data.readableBytes()));
      return data.readableBytes() + padding;
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext c, int streamId, long errorCode) {
      frames.add(new Frame("RST_STREAM", streamId, null, errorCode, 0));
    }

    @Override
    public void onGoAwayRead(ChannelHandlerContext c, int lastStreamId, long errorCode,
        ByteBuf debugData) {
      frames.add(new Frame("GOAWAY", lastStreamId, null, errorCode, 0));
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext c, Http2Settings settings) {
      frames.add(new Frame("SETTINGS", 0, settings.toString(), 0, 0));
    }
  };

  private ChannelHandlerContext ctx() {
    return encoder.pipeline().firstContext();
  }

  @Override
  public void close() throws IOException {
    received.release();
    encoder.finishAndReleaseAll();
    socket.close();
  }
}
