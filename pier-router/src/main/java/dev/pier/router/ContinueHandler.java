package dev.pier.router;

import dev.pier.model.Route;
import dev.pier.model.RouteLimits;
import dev.pier.model.RouteTable;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * Answers a request's {@code Expect: 100-continue} at once with {@code 100 Continue}, so the
 * client sends its body without waiting for the instance, and passes the request on.
 *
 * <p>Unlike Netty's {@code HttpServerExpectContinueHandler} it leaves the {@code Expect} header on
 * the request: {@link FrontendHandler} keeps such a request off pooled connections ({@link
 * ProxyHeaders#resendable}), and {@link ProxyHeaders#toBackend} drops the header before the
 * request reaches the instance.
 *
 * <p>A request whose declared {@code Content-Length} is over its app's largest body ({@link
 * RouteLimits#maxBodyBytes()}) gets no {@code 100 Continue}: the {@link FrontendHandler} answers
 * it 413, and the client never sends the body.
 *
 * <p>A request pipelined behind one whose response is still going out gets its {@code 100
 * Continue} only once that response is complete: written at once it would land inside the other
 * response's body. It counts the connection's requests in (heads read) and the final responses
 * out (their last part written; a 1xx other than 101 is not final).
 */
final class ContinueHandler extends ChannelDuplexHandler {
  private final Supplier<RouteTable> routes;
  /** Requests read whose final response is not all written yet. */
  private int open;
  /** For each request read behind the one being answered, in order: whether it waits for a 100. */
  private final ArrayDeque<Boolean> waiting = new ArrayDeque<>();
  /** The response being written is an interim one (1xx but 101): its end does not end an exchange. */
  private boolean interim;

  ContinueHandler(Supplier<RouteTable> routes) {
    this.routes = routes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      boolean expects = !request.decoderResult().isFailure()
          && HttpUtil.is100ContinueExpected(request) && !overBodyLimit(request);
      if (open++ == 0) {
        if (expects) sendContinue(ctx);
      } else {
        waiting.add(expects);
      }
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response) {
      int code = response.status().code();
      interim = code >= 100 && code < 200 && code != 101;
    }
    boolean ends = msg instanceof LastHttpContent && !interim;
    ctx.write(msg, promise);
    if (ends && open > 0) {
      open--;
      Boolean next = waiting.poll();
      if (next != null && next) sendContinue(ctx);
    }
  }

  private static void sendContinue(ChannelHandlerContext ctx) {
    FullHttpResponse accept = new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER);
    accept.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    ctx.writeAndFlush(accept).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }

  private boolean overBodyLimit(HttpRequest request) {
    String host = HostHeader.of(request);
    Route route = host == null ? null : routes.get().lookup(host);
    long max = route == null ? 0 : route.limits().maxBodyBytes();
    return max > 0 && declaredLength(request) > max;
  }

  /**
   * The request's {@code Content-Length}, 0 when absent or not one number, {@link Long#MAX_VALUE}
   * when too large for a long; never throws (unlike {@link HttpUtil#getContentLength}).
   */
  static long declaredLength(HttpRequest request) {
    String value = request.headers().get(HttpHeaderNames.CONTENT_LENGTH);
    if (value == null || value.isEmpty()) return 0;
    long n = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') return 0;
      n = n > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : n * 10 + (c - '0');
    }
    return n;
  }
}
