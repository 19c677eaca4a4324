package dev.pier.router.http2;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Serves HTTP/2 clients with the router's HTTP/1.1 request handling: switches a client
 * connection's pipeline to HTTP/2 and gives each stream a child channel whose pipeline carries
 * HTTP/1.1 messages to the handlers {@code streamHandlers} adds (an idle handler among them,
 * for a stream that stalls).
 *
 * <p>Per connection: at most {@link #MAX_CONCURRENT_STREAMS} streams at once, a header list of
 * at most {@code maxHeaderBytes} (a larger one gets {@code 431} on its stream), Netty's guard
 * against rapid resets (CVE-2023-44487: more than {@link #MAX_RESETS_PER_WINDOW} resets in {@link
 * #RESET_WINDOW_SECONDS} s end the connection), and an idle timeout that closes it (with GOAWAY)
 * only while no stream is open (pings do not count), and a head timeout for its first request.
 * Per stream: auto-read off, so a request body is read (and its flow-control window given back) only as fast as the instance takes it; a response part is
 * written only as fast as the client's window and the socket allow, and the handlers read the
 * instance's next part only once the previous write completed.
 *
 * <p>Thread-safe: one instance serves every connection of a router.
 */
public final class Http2Front {
  /** Streams a client may have open at once on one connection. */
  public static final int MAX_CONCURRENT_STREAMS = 16;
  /** Stream resets (by the client) tolerated per window before the connection is closed. */
  public static final int MAX_RESETS_PER_WINDOW = 200;
  public static final int RESET_WINDOW_SECONDS = 30;
  /** Each stream's receive window: how much request body may wait unread per stream. */
  static final int STREAM_WINDOW = 64 * 1024;
  /** How long the client has to finish its open streams after a GOAWAY when the router stops. */
  private static final long GOAWAY_GRACE_MILLIS = 1_000;

  private final int maxHeaderBytes;
  private final long idleMillis;
  private final long headMillis;
  private final Consumer<ChannelPipeline> streamHandlers;
  private final List<String> http1Handlers;
  private final ChannelGroup connections =
      new DefaultChannelGroup("http2", GlobalEventExecutor.INSTANCE);

  /**
   * @param maxHeaderBytes largest header list a client may send (HPACK-decoded size)
   * @param idleMillis how long a connection without open streams stays open
   * @param streamHandlers adds the HTTP/1.1 request handlers to each stream's pipeline
   * @param http1Handlers names of the HTTP/1.1 handlers a connection switching to HTTP/2 drops
   */
  public Http2Front(int maxHeaderBytes, long idleMillis, Consumer<ChannelPipeline> streamHandlers,
      List<String> http1Handlers) {
    this(maxHeaderBytes, idleMillis, idleMillis, streamHandlers, http1Handlers);
  }

  /**
   * As above, and {@code headMillis}: how long a connection has to complete its first request
   * head (header block) once it speaks HTTP/2; pings and trickled header frames do not extend it.
   */
  public Http2Front(int maxHeaderBytes, long idleMillis, long headMillis,
      Consumer<ChannelPipeline> streamHandlers, List<String> http1Handlers) {
    this.maxHeaderBytes = maxHeaderBytes;
    this.idleMillis = idleMillis;
    this.headMillis = headMillis;
    this.streamHandlers = Objects.requireNonNull(streamHandlers);
    this.http1Handlers = List.copyOf(http1Handlers);
  }

  /**
   * A handler to put right after TLS: once the handshake chose {@code h2} (ALPN) it switches the
   * connection to HTTP/2; for {@code http/1.1}, or no ALPN, it leaves the HTTP/1.1 handlers.
   */
  public ChannelHandler alpn() {
    return new AlpnSwitch(this);
  }

  /**
   * A handler to put first on a plain connection: a connection that starts with the HTTP/2
   * preface (h2c with prior knowledge) is switched to HTTP/2; any other leaves it at once.
   */
  public ChannelHandler priorKnowledge() {
    return new PrefaceDetector(this);
  }

  /**
   * A handler to put right after the plain connection's HTTP/1.1 codec: a request with {@code
   * Upgrade: h2c} gets {@code 101} and becomes stream 1 of an HTTP/2 connection; every other
   * message passes untouched. {@code codec} removes the HTTP/1.1 codec once the 101 is sent.
   */
  public ChannelHandler h2cUpgrade(HttpServerUpgradeHandler.SourceCodec codec) {
    return new H2cUpgrade(this, codec);
  }

  /** Returns how many client connections speak HTTP/2 right now. */
  public int openConnections() {
    return connections.size();
  }

  /**
   * Sends GOAWAY on every HTTP/2 connection and closes them, giving open streams a moment to
   * finish; returns when all are closed or after about a second and a half.
   */
  public void goAway() {
    connections.close().awaitUninterruptibly(GOAWAY_GRACE_MILLIS + 500, TimeUnit.MILLISECONDS);
  }

  /** Replaces the connection's HTTP/1.1 handlers by the HTTP/2 ones and starts reading. */
  void switchToHttp2(ChannelPipeline pipeline) {
    Http2FrameCodec codec = frameCodec();
    dropHttp1(pipeline, null);
    pipeline.addLast(ConnectionIdle.NAME, connectionIdle(codec));
    pipeline.addLast("h2", codec);
    pipeline.addLast("h2-streams", multiplexer());
    pipeline.addLast(ConnectionErrors.NAME, new ConnectionErrors());
    started(pipeline.channel());
  }

  /** Drops the HTTP/1.1 handlers (but {@code keep}) of a connection about to speak HTTP/2. */
  void dropHttp1(ChannelPipeline pipeline, ChannelHandler keep) {
    for (String name : http1Handlers) {
      ChannelHandler handler = pipeline.get(name);
      if (handler != null && handler != keep) pipeline.remove(handler);
    }
  }

  /** The connection's idle and first-head deadline (see {@link ConnectionIdle}). */
  ConnectionIdle connectionIdle(Http2FrameCodec codec) {
    return new ConnectionIdle(codec, idleMillis, headMillis);
  }

  /** Counts a connection that now speaks HTTP/2 and makes it read on its own. */
  void started(Channel channel) {
    connections.add(channel);
    // Flow control bounds what a client may send; the streams' own channels keep auto-read off.
    channel.config().setAutoRead(true);
  }

  Http2FrameCodec frameCodec() {
    Http2Settings settings = Http2Settings.defaultSettings()
        .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
        .maxHeaderListSize(maxHeaderBytes)
        .initialWindowSize(STREAM_WINDOW);
    return Http2FrameCodecBuilder.forServer()
        .initialSettings(settings)
        .validateHeaders(true)
        .decoderEnforceMaxRstFramesPerWindow(MAX_RESETS_PER_WINDOW, RESET_WINDOW_SECONDS)
        .gracefulShutdownTimeoutMillis(GOAWAY_GRACE_MILLIS)
        .build();
  }

  Http2MultiplexHandler multiplexer() {
    return new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
      @Override
      protected void initChannel(Http2StreamChannel stream) {
        stream.config().setAutoRead(false);
        ChannelPipeline p = stream.pipeline();
        p.addLast(StreamRequestCheck.NAME, new StreamRequestCheck());
        p.addLast("h2-http", new Http2StreamFrameToHttpObjectCodec(true));
        p.addLast("h2-files", new ChunkedWriteHandler());
        p.addLast("h2-messages", new StreamMessages());
        streamHandlers.accept(p);
      }
    });
  }
}
