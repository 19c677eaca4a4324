package dev.pier.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays raw bytes both ways between a client connection and an instance connection once the
 * instance answered an upgrade request with {@code 101 Switching Protocols} (a WebSocket, for
 * example): from then on neither connection speaks HTTP through the router.
 *
 * <p>{@link #open} rewires both pipelines. On the client connection the HTTP codec, the request
 * head deadline and the 100-continue handler are removed (the {@link FrontendHandler} has already written the 101
 * through the codec and detached its decoder when the request came, see {@link
 * Exchange#decoderDetached}), the keep-alive idle handler is replaced by one with the tunnel idle
 * timeout, and the {@link FrontendHandler} by a relay. On the instance connection the {@link
 * BackendHandler} is replaced by a relay first and the HTTP codec removed after: bytes the
 * instance sent right behind its 101 (already read into the codec's buffer) reach the relay as
 * the codec goes, in order, and are not lost.
 *
 * <p>Back-pressure: auto-read is off on both connections. A relay reads the next chunk from its
 * connection only after the other connection wrote the previous one to its socket, so at most
 * one read's worth of data per direction is held in memory however fast one side sends.
 *
 * <p>Ending: when either connection closes or fails, or no byte moved either way on the client
 * connection (so in neither direction) for the tunnel idle timeout, the tunnel closes: each
 * connection is closed after flushing what it still had to write (closed anyway after {@link
 * #FLUSH_GRACE}), and the {@code onClose} callback runs exactly once.
 *
 * <p>A client's half-close is relayed: the client connection allows half-closure once the tunnel
 * opens, so a client that shuts down its output ({@code shutdownOutput()}) is seen as the end of
 * its input, and the router shuts down the instance connection's output after writing what it
 * still held: the instance reads end of stream while its answer keeps flowing to the client,
 * until the instance closes (which closes the tunnel) or the tunnel idle timeout passes. An
 * instance's end of stream closes the tunnel as before: an instance that stops sending is
 * closing, and the tunnel must not stay counted in flight (draining waits for it) for as long as
 * an idle client keeps its side open.
 *
 * <p>Each tunnel counts its bytes each way and its duration into {@link TunnelStats} when it
 * closes.
 *
 * <p>Threading: both connections run on one event loop (the instance connection is opened on the
 * client connection's loop), so all of this runs on that thread without locking.
 */
final class Tunnel {
  private static final Logger LOG = LoggerFactory.getLogger(Tunnel.class);
  /** Pipeline name of the relay handlers. */
  static final String RELAY = "relay";
  /** How long a closing connection may take to flush before it is closed anyway. */
  static final Duration FLUSH_GRACE = Duration.ofSeconds(10);

  private final Channel client;
  private final Channel backend;
  private final Runnable onClose;
  private final TunnelStats stats;
  private final long openedNanos = System.nanoTime();
  private boolean closed;
  private Relay fromClient;
  private Relay fromBackend;

  private Tunnel(Channel client, Channel backend, Runnable onClose, TunnelStats stats) {
    this.client = client;
    this.backend = backend;
    this.onClose = onClose;
    this.stats = stats;
  }

  /**
   * Turns both connections into a relay. Call on their event loop right after writing the 101 to
   * the client (through its HTTP codec), from within the instance connection's read of the 101.
   *
   * @param client the client connection, its pipeline as built by {@link RouterInitializer}
   * @param backend the instance connection, its pipeline as built by {@link BackendConnector}
   * @param idleTimeout closes the tunnel when no byte moved either way for this long
   * @param handshakeSent the write of the 101 to the client; reading starts once it is done
   * @param earlyData bytes the client sent after the request head, sent to the instance first;
   *     owned by the tunnel from now on
   * @param onClose runs exactly once when the tunnel closes, on the event loop
   */
  static Tunnel open(Channel client, Channel backend, Duration idleTimeout,
      ChannelFuture handshakeSent, List<ByteBuf> earlyData, TunnelStats stats, Runnable onClose) {
    Tunnel tunnel = new Tunnel(client, backend, onClose, stats);
    Relay fromClient = tunnel.new Relay(backend);
    Relay fromBackend = tunnel.new Relay(client);
    tunnel.fromClient = fromClient;
    tunnel.fromBackend = fromBackend;
    stats.opened();
    // From now on the client's end of input is an event, not a close: relayed as a half-close.
    client.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);

    ChannelPipeline clientPipeline = client.pipeline();
    removeIfPresent(clientPipeline, RouterInitializer.HEAD_START);
    removeIfPresent(clientPipeline, RouterInitializer.HTTP);
    removeIfPresent(clientPipeline, RouterInitializer.EXPECT_CONTINUE);
    removeIfPresent(clientPipeline, RouterInitializer.HEAD_END);
    clientPipeline.replace(RouterInitializer.IDLE, RouterInitializer.IDLE,
        new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS));
    clientPipeline.replace(RouterInitializer.FRONTEND, RELAY, fromClient);

    ChannelPipeline backendPipeline = backend.pipeline();
    backendPipeline.replace(BackendConnector.BACKEND, RELAY, fromBackend);
    // Its decoder hands bytes already read past the 101 to fromBackend as it is removed.
    removeIfPresent(backendPipeline, BackendConnector.HTTP);

    if (!earlyData.isEmpty()) {
      ChannelFuture last = null;
      for (ByteBuf buf : earlyData) last = backend.write(buf);
      backend.flush();
      fromClient.afterWrite(last);
    }
    handshakeSent.addListener((ChannelFuture f) -> {
      if (!f.isSuccess()) {
        tunnel.close("101 not sent");
        return;
      }
      fromClient.readIfIdle();
      fromBackend.readIfIdle();
    });
    if (!client.isActive() || !backend.isActive()) tunnel.close("closed during handshake");
    return tunnel;
  }

  /** Closes both connections after flushing them; idempotent. */
  void close(String reason) {
    if (closed) return;
    closed = true;
    LOG.debug("tunnel {} <-> {} closing: {}", client.remoteAddress(), backend.remoteAddress(),
        reason);
    closeAfterFlush(client);
    closeAfterFlush(backend);
    stats.closed((System.nanoTime() - openedNanos) / 1_000_000, fromClient.bytes,
        fromBackend.bytes);
    try {
      onClose.run();
    } catch (RuntimeException e) {
      LOG.warn("tunnel close callback failed", e);
    }
  }

  private static void closeAfterFlush(Channel ch) {
    if (!ch.isActive()) {
      ch.close();
      return;
    }
    ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    try {
      // A peer that stopped reading would otherwise keep the flush, and the socket, forever.
      ScheduledFuture<?> force = ch.eventLoop().schedule(
          () -> { ch.close(); }, FLUSH_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      ch.closeFuture().addListener(f -> force.cancel(false));
    } catch (RejectedExecutionException e) {
      ch.close(); // the loop is shutting down
    }
  }

  private static void removeIfPresent(ChannelPipeline pipeline, String name) {
    if (pipeline.get(name) != null) pipeline.remove(name);
  }

  /** Reads from one connection and writes to the other ({@code peer}). */
  private final class Relay extends ChannelInboundHandlerAdapter {
    private final Channel peer;
    private ChannelHandlerContext ctx;
    /** The last write of the current read, flushed when the read completes. */
    private ChannelFuture unflushed;
    /** A flushed write to the peer has not completed yet: do not read more. */
    private boolean writing;
    /** Bytes relayed from this relay's connection to the peer. */
    long bytes;
    private boolean inputEnded;

    Relay(Channel peer) {
      this.peer = peer;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      // Raw bytes; an instance codec being removed may still hand over a decoded empty part.
      ByteBuf data = msg instanceof ByteBuf buf ? buf
          : msg instanceof ByteBufHolder holder ? holder.content() : null;
      if (closed || data == null || !data.isReadable()) {
        ReferenceCountUtil.release(msg);
        return;
      }
      bytes += data.readableBytes();
      unflushed = peer.write(data);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ChannelFuture last = unflushed;
      if (last == null) return; // nothing read: the read request is still pending
      unflushed = null;
      peer.flush();
      afterWrite(last);
    }

    /** Reads the next chunk once {@code last} is written to the peer's socket. */
    void afterWrite(ChannelFuture last) {
      writing = true;
      last.addListener((ChannelFuture f) -> {
        writing = false;
        if (!f.isSuccess()) {
          close("write failed: " + f.cause());
        } else if (!closed) {
          ctx.read();
        }
      });
    }

    /** Starts reading unless a write is still waiting to complete (it reads after it). */
    void readIfIdle() {
      if (!closed && !writing && unflushed == null) ctx.read();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      close(ctx.channel() == client ? "client closed" : "instance closed");
    }

    /**
     * This connection's input ended (the client shut down its output): once everything read from
     * it is written, shuts down the other connection's output.
     */
    private void inputEnded() {
      if (closed || inputEnded) return;
      inputEnded = true;
      // Writes are ordered: the empty one completes after all bytes relayed before it.
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFuture f) -> {
        if (closed) return;
        if (!f.isSuccess() || !(peer instanceof DuplexChannel duplex)) {
          close("half-close not relayed");
        } else {
          duplex.shutdownOutput();
        }
      });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof IdleStateEvent) {
        close("idle");
      } else if (evt == ChannelInputShutdownEvent.INSTANCE) {
        inputEnded();
      } else if (evt == ChannelInputShutdownReadComplete.INSTANCE) {
        ReferenceCountUtil.release(evt);
      } else {
        ctx.fireUserEventTriggered(evt);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      close(cause.toString());
    }
  }
}
