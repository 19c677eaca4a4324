package dev.pier.router;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of every client connection: counts it in {@link ConnectionLimits} while it is
 * open. A connection over a limit never reaches the rest of the pipeline (nothing is read from
 * it): it gets a short router error page ({@code 429 too_many_connections} or {@code 503
 * router_full}, through the HTTP encoder) and is closed at once, so it holds its file descriptor
 * only for that write.
 *
 * <p>Refusals are logged as one warning per minute at most, with the count since the last one:
 * a flood must not flood the log too.
 */
final class ConnectionGate extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGate.class);

  private final ConnectionLimits limits;
  private final boolean stream;
  /** The counted address while the connection is admitted and open, else null. */
  private InetAddress counted;

  ConnectionGate(ConnectionLimits limits) {
    this(limits, false);
  }

  private ConnectionGate(ConnectionLimits limits, boolean stream) {
    this.limits = limits;
    this.stream = stream;
  }

  /**
   * The gate of an HTTP/2 stream's channel: the stream counts as one more connection of its
   * client ({@link ConnectionLimits#openStream}); over a limit it gets the error page on itself.
   */
  static ConnectionGate forStream(ConnectionLimits limits) {
    return new ConnectionGate(limits, true);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    InetAddress address = ctx.channel().remoteAddress() instanceof InetSocketAddress inet
        ? inet.getAddress() : null;
    if (address == null) { // not an IP connection (tests on embedded channels): not limited
      ctx.fireChannelActive();
      return;
    }
    ConnectionLimits.Verdict verdict = stream ? limits.openStream(address) : limits.open(address);
    if (verdict == ConnectionLimits.Verdict.ADMITTED) {
      counted = address;
      ctx.fireChannelActive();
      return;
    }
    RouterError error = verdict == ConnectionLimits.Verdict.ADDRESS_FULL
        ? RouterError.TOO_MANY_CONNECTIONS : RouterError.ROUTER_FULL;
    warn(error, address);
    // From the pipeline's tail, so the page goes through the HTTP encoder.
    ctx.channel().writeAndFlush(ErrorPages.page(error, UUID.randomUUID().toString(), false))
        .addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (counted != null) {
      if (stream) limits.closeStream(counted);
      else limits.close(counted);
      counted = null;
    }
    ctx.fireChannelInactive();
  }

  private void warn(RouterError error, InetAddress address) {
    long refused = limits.refusedToReport(System.nanoTime());
    if (refused > 0) {
      LOG.warn("router refusing client connections ({} open, {} from {}): {} refused since the"
              + " last warning, the last with {} {}", limits.openCount(), limits.openCount(address),
          address.getHostAddress(), refused, error.status().code(), error.headerValue());
    }
  }
}
