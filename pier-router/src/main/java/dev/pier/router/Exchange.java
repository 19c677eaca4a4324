package dev.pier.router;

import dev.pier.model.Backend;
import dev.pier.model.Route;
import dev.pier.model.RouteLimits;
import dev.pier.model.RouteTable;
import dev.pier.model.VersionRoute;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The state of one request/response pair on a client connection.
 *
 * <p>Thread safety: none needed. Every field is read and written only on the client channel's
 * event loop, which is also the event loop of the backend channel (see {@link FrontendHandler}).
 */
final class Exchange {
  /**
   * Where the exchange is in its life. (The flags further down describe the proxying in detail;
   * they are meant to fold into phases over time.)
   */
  enum Phase {
    /** The request head arrived; no version or instance chosen yet. */
    ROUTING,
    /**
     * Waiting for an instance of a version that is starting or asleep: no instance connection,
     * no client read beyond one probe, a hold timer running, registered in {@link HeldRequests}.
     */
    HELD,
    /** Assigned to an instance: connecting, sending, receiving or tunnelling. */
    PROXYING
  }

  final HttpRequest request;
  final String requestId;
  final String forwardedFor;
  /** Captured before the request is rewritten for the instance. */
  final HttpVersion clientVersion;
  final boolean clientKeepAlive;
  final long startNanos = System.nanoTime();
  /** When the request arrived (wall clock), sent to the instance as {@code X-Request-Start}. */
  final long startMillis = System.currentTimeMillis();
  Phase phase = Phase.ROUTING;

  /** While {@link Phase#HELD}: since when, its registration, and the timer that ends it. */
  long heldSinceNanos;
  HeldRequests.Waiting waiting;
  ScheduledFuture<?> holdTimer;
  /** Time spent in {@link Phase#HELD}, added when the hold ends. */
  long heldNanos;
  /** The version counter this request is counted on, or null; see {@link VersionLoads}. */
  VersionLoads.Counter load;
  /** The request counts as held on {@link #load}. */
  boolean loadHeld;

  /** The Host header as sent. */
  String host;
  /** The route snapshot the route and backend were chosen from. */
  RouteTable table;
  Route route;
  /** The request's split bucket in [0, 10000), see {@link VersionPicker}. */
  int bucket;
  /** A {@code Set-Cookie} value for the response when the bucket was drawn for a new client. */
  String splitCookie;
  VersionRoute version;
  Backend backend;
  /** {@link #backend} is counted in {@link InFlight}; cleared when the count is given back. */
  boolean counted;
  /**
   * The connection to the instance; null until connected, after a failed attempt, and once the
   * response was received and the connection went back to the {@link BackendPool}.
   */
  Channel outbound;
  /** The handler of {@link #outbound}, bound to this exchange. */
  BackendHandler outboundHandler;
  /** {@link #outbound} came from the pool (it may have been closed by the instance meanwhile). */
  boolean reused;
  /**
   * The request may go on a pooled connection and be re-sent once: it has no body, or a small
   * one ({@link ProxyHeaders#resendable}) whose parts are kept in {@link #sentBody} meanwhile.
   */
  boolean resendable;
  /** Body parts received while still connecting; written once connected. */
  final List<HttpContent> pendingBody = new ArrayList<>();
  /**
   * Retained copies of the body parts written on a {@link #reused} connection, in order, kept
   * while no response byte has arrived: if that connection closes unanswered the request is sent
   * again from them. Released once the instance answers or the exchange ends.
   */
  private final List<HttpContent> sentBody = new ArrayList<>();
  /**
   * The protocol an upgrade request asks for ({@link ProxyHeaders#upgradeProtocol}), or null for
   * a plain request. An upgrade request always goes on a new connection that is never pooled.
   */
  String upgrade;
  /**
   * The client connection's HTTP request decoder was removed for this upgrade request, so bytes
   * after its head stay raw; it is put back if the instance does not switch protocols.
   */
  boolean decoderDetached;
  /**
   * Raw bytes the client sent after the head of an upgrade request before the instance answered;
   * the first bytes of the tunnel, or HTTP again if the instance does not switch.
   */
  final List<ByteBuf> earlyData = new ArrayList<>();

  /** The client's LastHttpContent has arrived. */
  boolean requestDone;
  /**
   * Some request body bytes were written to an instance (a retry is then no longer safe); cleared
   * when a pooled connection closed unanswered and its kept copies are queued to be sent again.
   */
  boolean bodySent;
  /** The request's last part was written to {@link #outbound}. */
  boolean requestWritten;
  /** A refused connection was already retried on another instance. */
  boolean retried;
  long connectStartNanos;
  long connectNanos;
  /** Last time the instance accepted request bytes; the response timeout counts from here. */
  long lastProgressNanos;
  ScheduledFuture<?> responseTimer;
  /** The app's (else the router's) response timeout, resolved once the route is known. */
  long responseTimeoutNanos;
  /** The app's largest request body in bytes, 0 for none ({@link RouteLimits}). */
  long maxBodyBytes;
  /** Request body bytes read so far, counted only while {@link #maxBodyBytes} is set. */
  long bodyBytes;

  /** Response headers were sent to the client (by the app or as a router error page). */
  boolean responseStarted;
  /** Some response bytes arrived from {@link #outbound} (a retry is then no longer safe). */
  boolean backendAnswered;
  /**
   * The final response allows another request on its connection: HTTP/1.1, no {@code
   * Connection: close}, and a body framed by length or chunks (or none).
   */
  boolean backendReusable;
  /** Informational (1xx) response being skipped, up to its LastHttpContent. */
  boolean skippingInformational;
  /** The instance's LastHttpContent has arrived. */
  boolean responseReceived;
  /** The last response byte was written to the client. */
  boolean responseDone;
  boolean closeAfter;
  boolean finished;
  int status;
  long bytes;
  RouterError error;

  Exchange(HttpRequest request, String requestId, String forwardedFor, boolean clientKeepAlive) {
    this.request = request;
    this.requestId = requestId;
    this.forwardedFor = forwardedFor;
    this.clientVersion = request.protocolVersion();
    this.clientKeepAlive = clientKeepAlive;
  }

  /** True while body parts of this request still belong to it. */
  boolean acceptsBody() {
    return !requestDone && !finished;
  }

  void cancelResponseTimer() {
    if (responseTimer != null) {
      responseTimer.cancel(false);
      responseTimer = null;
    }
  }

  /** Releases the body parts not yet written and the copies of those written. */
  void releaseHeldBody() {
    for (HttpContent part : pendingBody) ReferenceCountUtil.release(part);
    pendingBody.clear();
    releaseSentBody();
  }

  /**
   * Keeps a copy of {@code part}, about to be written to {@link #outbound}, if a resend on a new
   * connection may still need it: the connection is a reused one and nothing was answered yet.
   * Call before the write, which releases {@code part}.
   */
  void keepSent(HttpContent part) {
    if (reused && !backendAnswered && !finished && error == null) {
      sentBody.add(part.retainedDuplicate());
    }
  }

  /** Records the first response byte: the request cannot be re-sent any more. */
  void answered() {
    backendAnswered = true;
    releaseSentBody();
  }

  /**
   * Moves the copies of the parts already written in front of {@link #pendingBody}, so the whole
   * request goes out again on the next connection; no copy is held afterwards.
   */
  void requeueSentBody() {
    pendingBody.addAll(0, sentBody);
    sentBody.clear();
  }

  private void releaseSentBody() {
    for (HttpContent part : sentBody) ReferenceCountUtil.release(part);
    sentBody.clear();
  }

  /** Hands over the held early bytes; the caller owns them from then on. */
  List<ByteBuf> takeEarlyData() {
    List<ByteBuf> taken = new ArrayList<>(earlyData);
    earlyData.clear();
    return taken;
  }

  void releaseEarlyData() {
    for (ByteBuf buf : earlyData) buf.release();
    earlyData.clear();
  }

  void closeOutbound() {
    if (outbound != null) outbound.close();
  }

  AccessLogEntry logEntry() {
    return new AccessLogEntry(
        route == null ? null : route.app(),
        request.method().name(),
        request.uri(),
        request.headers().get("Host"),
        requestId,
        forwardedFor,
        backend == null ? null : backend.instance(),
        version == null ? 0 : version.version(),
        TimeUnit.NANOSECONDS.toMillis(connectNanos),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
        status,
        bytes,
        error,
        TimeUnit.NANOSECONDS.toMillis(heldNanos));
  }
}
