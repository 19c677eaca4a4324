package dev.pier.router;

import dev.pier.model.Backend;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance side of a connection: passes decoded response parts of the exchange it is bound
 * to to that exchange's {@link FrontendHandler}, which writes them to the client and asks for more
 * only when the client has taken them (back-pressure).
 *
 * <p>One handler per instance connection. A kept-alive connection serves one exchange after
 * another: {@link #bind} before each, {@link #unbind} when it goes back to the {@link
 * BackendPool}. While unbound (unused in the pool) anything the instance sends is a protocol
 * error and closes the connection, and a close removes it from the pool.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(BackendHandler.class);

  private final Backend backend;
  private final BackendPool pool;
  private FrontendHandler frontend;
  private Exchange exchange;
  /** The client side written to during the current read, flushed once the read completes. */
  private FrontendHandler unflushed;

  BackendHandler(Backend backend, BackendPool pool) {
    this.backend = backend;
    this.pool = pool;
  }

  /** Delivers the connection's next events to {@code ex} on {@code frontend}. */
  void bind(FrontendHandler frontend, Exchange ex) {
    this.frontend = frontend;
    this.exchange = ex;
  }

  /** Detaches the connection from its exchange before it goes back to the pool. */
  void unbind() {
    this.frontend = null;
    this.exchange = null;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Exchange ex = exchange;
    if (ex == null) {
      ReferenceCountUtil.release(msg);
      LOG.debug("unused connection to {} received data; closing it", backend);
      ctx.close();
      return;
    }
    ex.answered();
    unflushed = frontend;
    if (msg instanceof HttpObject http && http.decoderResult().isFailure()) {
      ReferenceCountUtil.release(msg);
      frontend.onBackendInvalid(ex);
      return;
    }
    if (msg instanceof HttpResponse response) frontend.onBackendResponse(ex, response);
    if (msg instanceof HttpContent content) {
      frontend.onBackendContent(ex, content);
    } else if (!(msg instanceof HttpResponse)) {
      ReferenceCountUtil.release(msg);
    }
  }

  /** Sends everything this read produced to the client in one flush (one syscall when small). */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    FrontendHandler toFlush = unflushed;
    unflushed = null;
    if (toFlush != null) toFlush.flushClient();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Exchange ex = exchange;
    if (ex == null) {
      pool.remove(backend, ctx.channel());
    } else {
      frontend.onBackendClosed(ex, ctx.channel());
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("backend {} failed: {}", backend, cause.toString());
    ctx.close();
  }
}
