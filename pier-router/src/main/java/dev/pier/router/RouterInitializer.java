package dev.pier.router;

import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Builds the pipeline of each accepted client connection (see the package documentation for the
 * picture): idle detection, HTTP/1.1 codec, 100-continue answering, then the proxying handler.
 */
final class RouterInitializer extends ChannelInitializer<Channel> {
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

  private void addIdleHandler(ChannelPipeline pipeline) {
    long idleMillis = router.config().idleTimeout().toMillis();
    pipeline.addLast("idle", new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
  }

  private static void addHttpHandlers(ChannelPipeline pipeline) {
    pipeline.addLast("http", new HttpServerCodec());
    pipeline.addLast("expect-continue", new HttpServerExpectContinueHandler());
  }

  private void addProxyHandler(ChannelPipeline pipeline) {
    pipeline.addLast("frontend", new FrontendHandler(router));
  }
}
