package dev.pier.router.http2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP/2 connection (GOAWAY first) that had no open stream for the idle timeout, and
 * one whose first request head did not complete within the head timeout (a slowloris trickling
 * its header block, or a client that only pings). Only streams count as activity: PING,
 * SETTINGS, WINDOW_UPDATE or a header block still being sent never keep a connection open. A
 * stream that waits for its answer keeps its connection (its own idle handler and the response
 * timeout apply to it). Everything runs on the connection's event loop.
 */
final class ConnectionIdle extends ChannelInboundHandlerAdapter {
  static final String NAME = "h2-idle";
  private final Http2ConnectionHandler codec;
  private final long idleNanos;
  private final long firstHeadNanos;
  private long startNanos;
  /** When the last stream closed (or the connection started): the quiet time counts from it. */
  private long quietSinceNanos;
  private ScheduledFuture<?> pending;

  ConnectionIdle(Http2ConnectionHandler codec, long idleMillis, long headMillis) {
    this.codec = codec;
    this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMillis);
    this.firstHeadNanos = TimeUnit.MILLISECONDS.toNanos(headMillis);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    startNanos = System.nanoTime();
    quietSinceNanos = startNanos;
    codec.connection().addListener(new Http2ConnectionAdapter() {
      @Override
      public void onStreamClosed(Http2Stream stream) {
        quietSinceNanos = System.nanoTime();
      }
    });
    schedule(ctx, Math.min(idleNanos, firstHeadNanos));
  }

  private void schedule(ChannelHandlerContext ctx, long nanos) {
    pending = ctx.executor().schedule(() -> check(ctx), Math.max(nanos, 1), TimeUnit.NANOSECONDS);
  }

  private void check(ChannelHandlerContext ctx) {
    pending = null;
    if (!ctx.channel().isOpen() || ctx.isRemoved()) return;
    long now = System.nanoTime();
    boolean noRequestYet = codec.connection().remote().lastStreamCreated() == 0;
    if (noRequestYet && now - startNanos >= firstHeadNanos) {
      ctx.channel().close(); // through the codec: GOAWAY
      return;
    }
    long next = idleNanos;
    if (codec.connection().numActiveStreams() == 0) {
      long quiet = now - quietSinceNanos;
      if (quiet >= idleNanos) {
        ctx.channel().close();
        return;
      }
      next = idleNanos - quiet;
    }
    if (noRequestYet) next = Math.min(next, firstHeadNanos - (now - startNanos));
    schedule(ctx, next);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (pending != null) pending.cancel(false);
  }
}
