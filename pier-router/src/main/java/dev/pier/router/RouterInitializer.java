package dev.pier.router;

import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Builds the pipeline of each accepted client connection (see the package documentation for the
 * picture): idle detection, HTTP/1.1 codec, 100-continue answering, then the proxying handler.
 * The handler names are constants because an upgraded connection ({@link Tunnel}) swaps them.
 */
final class RouterInitializer extends ChannelInitializer<Channel> {
  static final String IDLE = "idle";
  static final String HTTP = "http";
  static final String EXPECT_CONTINUE = "expect-continue";
  static final String FRONTEND = "frontend";

  private final RouterContext router;

  RouterInitializer(RouterContext router) {
    this.router = router;
  }

  @Override
  protected void initChannel(Channel ch) {
    ChannelPipeline pipeline = ch.pipeline();
    addIdleHandler(pipeline);
    addHttpHandlers(pipeline);
    addProxyHandler(pipeline);
  }

  /** Returns the client connection's HTTP/1.1 codec (also used to put a removed one back). */
  static HttpServerCodec newHttpCodec() {
    return new HttpServerCodec();
  }

  private void addIdleHandler(ChannelPipeline pipeline) {
    long idleMillis = router.config().idleTimeout().toMillis();
    pipeline.addLast(IDLE, new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
  }

  private static void addHttpHandlers(ChannelPipeline pipeline) {
    pipeline.addLast(HTTP, newHttpCodec());
    pipeline.addLast(EXPECT_CONTINUE, new ContinueHandler());
  }

  private void addProxyHandler(ChannelPipeline pipeline) {
    pipeline.addLast(FRONTEND, new FrontendHandler(router));
  }
}
