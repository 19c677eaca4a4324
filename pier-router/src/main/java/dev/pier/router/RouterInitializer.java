package dev.pier.router;

import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.Channel;
import dev.pier.router.http2.Http2Front;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Builds the pipeline of each accepted client connection (see the package documentation for the
 * picture): connection limits, idle detection, the request head deadline around the HTTP/1.1
 * codec, 100-continue answering, then the proxying handler. A connection that turns out to speak
 * HTTP/2 (ALPN on the TLS port; the preface or {@code Upgrade: h2c} on the plain one) drops those
 * for {@link Http2Front}'s, which give each stream the same request handlers. The handler names are constants
 * because an upgraded connection ({@link Tunnel}) swaps them.
 */
final class RouterInitializer extends ChannelInitializer<Channel> {
  static final String GATE = "gate";
  static final String IDLE = "idle";
  static final String HEAD_START = "head-start";
  static final String HTTP = "http";
  static final String EXPECT_CONTINUE = "expect-continue";
  static final String HEAD_END = "head-end";
  static final String FRONTEND = "frontend";
  /** Longest request line (method, target, version) read; a longer one gets 414. */
  static final int MAX_REQUEST_LINE = ClientLimits.MAX_REQUEST_LINE_BYTES;
  /** Largest sum of header lines read; more gets 431. Bounds a connection's decoder memory. */
  static final int MAX_HEADER_BYTES = ClientLimits.MAX_HEADER_BYTES;

  static final String TLS = "tls";
  static final String ALPN = "alpn";
  static final String H2_PREFACE = "h2-preface";
  static final String H2C_UPGRADE = "h2c-upgrade";
  /** The handlers a connection switching to HTTP/2 drops (each stream gets its own). */
  private static final java.util.List<String> HTTP1_HANDLERS =
      java.util.List.of(IDLE, HEAD_START, HTTP, H2C_UPGRADE, EXPECT_CONTINUE, HEAD_END, FRONTEND);

  private final RouterContext router;
  private final dev.pier.router.tls.CertificateSource tls;
  private final Http2Front http2;

  RouterInitializer(RouterContext router) {
    this(router, null, http2(router));
  }

  RouterInitializer(RouterContext router, Http2Front http2) {
    this(router, null, http2);
  }

  /**
   * The HTTP/2 side of {@code router}: each stream gets an idle handler, 100-continue answering
   * and a {@link FrontendHandler}, as an HTTP/1.1 connection; the header list limit is {@link
   * #MAX_HEADER_BYTES} (over it: 431).
   */
  static Http2Front http2(RouterContext router) {
    long idleMillis = router.config().idleTimeout().toMillis();
    long headMillis = router.config().clientLimits().headTimeout().toMillis();
    return new Http2Front(MAX_HEADER_BYTES, idleMillis, headMillis, stream -> {
      stream.addLast(GATE, ConnectionGate.forStream(router.connections())); // a stream counts too
      stream.addLast(IDLE, new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
      stream.addLast(EXPECT_CONTINUE, new ContinueHandler(router.routes()));
      stream.addLast(FRONTEND, new FrontendHandler(router));
    }, HTTP1_HANDLERS);
  }

  /**
   * Connections of the TLS port when {@code tls} is not null: TLS (certificate chosen by the SNI
   * name) right after the connection gate, then the same HTTP/1.1 pipeline as the plain port.
   */
  RouterInitializer(RouterContext router, dev.pier.router.tls.CertificateSource tls,
      Http2Front http2) {
    this.router = router;
    this.tls = tls;
    this.http2 = http2;
  }

  @Override
  protected void initChannel(Channel ch) {
    ChannelPipeline pipeline = ch.pipeline();
    pipeline.addLast(GATE, new ConnectionGate(router.connections()));
    if (tls != null) {
      pipeline.addLast(TLS, dev.pier.router.tls.Sni.handler(tls));
      pipeline.addLast(ALPN, http2.alpn()); // h2: HTTP/2 handlers replace the ones below
    } else {
      pipeline.addLast(H2_PREFACE, http2.priorKnowledge());
    }
    addIdleHandler(pipeline);
    addHttpHandlers(pipeline, new HeadDeadline(router.config().clientLimits().headTimeout()));
    addProxyHandler(pipeline);
  }

  /** Returns the client connection's HTTP/1.1 codec (also used to put a removed one back). */
  static HttpServerCodec newHttpCodec() {
    return new HttpServerCodec(new HttpDecoderConfig()
        .setMaxInitialLineLength(MAX_REQUEST_LINE)
        .setMaxHeaderSize(MAX_HEADER_BYTES));
  }

  private void addIdleHandler(ChannelPipeline pipeline) {
    long idleMillis = router.config().idleTimeout().toMillis();
    pipeline.addLast(IDLE, new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
  }

  private void addHttpHandlers(ChannelPipeline pipeline, HeadDeadline deadline) {
    pipeline.addLast(HEAD_START, deadline.start());
    pipeline.addLast(HTTP, newHttpCodec());
    if (tls == null) pipeline.addLast(H2C_UPGRADE, http2.h2cUpgrade(ctx -> ctx.pipeline().remove(HTTP)));
    pipeline.addLast(EXPECT_CONTINUE, new ContinueHandler(router.routes()));
    pipeline.addLast(HEAD_END, deadline.end());
  }

  private void addProxyHandler(ChannelPipeline pipeline) {
    pipeline.addLast(FRONTEND, new FrontendHandler(router));
  }
}
