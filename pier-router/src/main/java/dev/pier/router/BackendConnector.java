package dev.pier.router;

import dev.pier.model.Backend;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;

/**
 * Opens HTTP/1.1 connections to instances (kept alive and reused through the {@link
 * BackendPool} when the exchange ends cleanly).
 *
 * <p>The connection is registered on the caller's event loop (the client channel's), as in
 * Netty's proxy example: both channels of an exchange then share one thread, so their state needs
 * no locking. Auto-read is off; the {@link FrontendHandler} requests every read. The backend host
 * should be an IP literal: a host name would be resolved by the JDK resolver on the event loop.
 */
final class BackendConnector {
  /** Handler names in an instance connection's pipeline ({@link Tunnel} swaps them). */
  static final String HTTP = "http";
  static final String BACKEND = "backend";

  private final RouterContext router;

  BackendConnector(RouterContext router) {
    this.router = router;
  }

  /** Starts connecting to {@code backend}; the pipeline ends in {@code handler}. */
  ChannelFuture connect(EventLoop loop, Backend backend, BackendHandler handler) {
    int timeoutMillis =
        (int) Math.min(Integer.MAX_VALUE, router.config().connectTimeout().toMillis());
    return new Bootstrap()
        .group(loop)
        .channel(router.transport().socketChannel())
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(HTTP, new HttpClientCodec());
            ch.pipeline().addLast(BACKEND, handler);
          }
        })
        .connect(backend.host(), backend.port());
  }
}
