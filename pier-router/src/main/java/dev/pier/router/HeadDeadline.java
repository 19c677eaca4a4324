package dev.pier.router;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The request head deadline of one client connection: the request line and headers of every
 * request must arrive within {@link ClientLimits#headTimeout()}, counted from their first byte
 * (for the first request: from the moment the connection was accepted). A client that trickles
 * its head (slowloris) is cut even though bytes keep coming, which the idle timeout never does.
 * Once the deadline passed, {@link #EXPIRED} goes to the {@link FrontendHandler} as a user event;
 * it answers {@code 408} and closes the connection if no exchange runs on it.
 *
 * <p>Two handlers around the HTTP codec share this state: {@link #start()}, before the codec,
 * sees raw bytes and starts a head when a byte comes while none is expected to be running;
 * {@link #end()}, after the codec, sees the decoded request (the head is complete: its body, if
 * any, is the idle timeout's business) and its last content (the next byte starts a new head).
 *
 * <p>Cost: no task per request. One check is scheduled when a head starts and none is pending;
 * when it runs it re-arms itself for the rest of the time if another head is running, so a busy
 * keep-alive connection schedules about one task per timeout period. Everything runs on the
 * connection's event loop.
 */
final class HeadDeadline {
  /** The user event fired to the handlers after the codec when a head took too long. */
  static final Object EXPIRED = new Object() {
    @Override
    public String toString() {
      return "HeadDeadline.EXPIRED";
    }
  };

  private enum State { WAITING, HEAD, BODY }

  private final long timeoutNanos;
  private final Runnable check = this::check;
  private final Start start = new Start();
  private final End end = new End();
  private State state = State.WAITING;
  private long headStartNanos;
  private ScheduledFuture<?> pending;
  private ChannelHandlerContext startCtx;
  private ChannelHandlerContext endCtx;

  HeadDeadline(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
  }

  /** The handler to put before the HTTP codec. */
  ChannelInboundHandlerAdapter start() {
    return start;
  }

  /** The handler to put after the HTTP codec. */
  ChannelInboundHandlerAdapter end() {
    return end;
  }

  private void beginHead() {
    state = State.HEAD;
    headStartNanos = System.nanoTime();
    if (pending == null) schedule(timeoutNanos);
  }

  private void schedule(long nanos) {
    pending = startCtx.executor().schedule(check, nanos, TimeUnit.NANOSECONDS);
  }

  private void check() {
    pending = null;
    if (state != State.HEAD || startCtx.isRemoved()) return;
    long remaining = timeoutNanos - (System.nanoTime() - headStartNanos);
    if (remaining > 0) {
      schedule(remaining); // a later head is running
    } else {
      state = State.WAITING; // if the frontend lets it go on, the next byte starts a fresh head
      if (endCtx != null && !endCtx.isRemoved()) endCtx.fireUserEventTriggered(EXPIRED);
    }
  }

  private void stop() {
    if (pending != null) {
      pending.cancel(false);
      pending = null;
    }
  }

  /** Sees raw bytes: the first of a head starts its clock. */
  private final class Start extends ChannelInboundHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      startCtx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      beginHead(); // the first head must come within the timeout of the accept
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (state == State.WAITING && msg instanceof ByteBuf buf && buf.isReadable()) beginHead();
      ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      stop();
      ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      stop();
    }
  }

  /** Sees decoded messages: a request means its head is complete. */
  private final class End extends ChannelInboundHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      endCtx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest) state = State.BODY;
      if (msg instanceof LastHttpContent) state = State.WAITING; // a FullHttpRequest is both
      ctx.fireChannelRead(msg);
    }
  }
}
