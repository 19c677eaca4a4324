package dev.pier.router;

import dev.pier.model.Backend;
import dev.pier.model.Route;
import dev.pier.model.RouteLimits;
import dev.pier.model.RouteTable;
import dev.pier.model.StaticHandlers;
import dev.pier.model.VersionRoute;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of a connection: routes each request by its Host header, opens a connection to
 * the chosen instance, and relays both bodies with back-pressure.
 *
 * <p>Requests on one client connection are served one at a time. Parts of a pipelined next
 * request that arrive early are queued and replayed once the current exchange finishes.
 *
 * <p>Back-pressure: the client and instance channels have auto-read off. The router reads the
 * next request part only after the instance accepted the previous one, and the next response part
 * only after the client accepted the previous one, so at most one read's worth of data is held in
 * memory per direction, whatever the body size.
 *
 * <p>Threading: the instance connection is opened on (or taken from the {@link BackendPool} of)
 * this channel's own event loop, so every callback here runs on one thread and the state needs no
 * synchronisation.
 *
 * <p>Kept-alive instance connections: a request of an idempotent method (not POST or PATCH)
 * without a body, or with a small one (HTTP/1.1, {@code Content-Length} at most {@link
 * #MAX_RETRYABLE_BODY}, not chunked, no {@code Expect}; {@link ProxyHeaders#resendable}), first
 * tries an unused pooled connection to its instance. While it goes on such a connection, a
 * retained copy of every body part written is kept ({@link Exchange#keepSent}) until the first
 * response byte. If that connection turns out closed (or closes, or fails to take the request)
 * before any response byte arrived, the request is sent again once, head and all body parts, on a
 * new connection to the same instance (it is idempotent, so even an instance that read it and died
 * first is no harm). Other requests always get a new connection: a POST is never sent twice, and
 * large bodies stream without a copy. Once the instance's response is fully read, its connection
 * goes back to the pool if the response allows it ({@link ProxyHeaders#reusable}) and the whole
 * request was written; otherwise it is closed.
 *
 * <p>Upgrade requests ({@link ProxyHeaders#upgradeProtocol}, a WebSocket handshake for example)
 * always go on a new instance connection that never returns to the pool. As such a request comes,
 * the client connection's HTTP decoder is detached, so anything the client sends after the head
 * stays raw bytes ({@link Exchange#earlyData}). If the instance answers {@code 101 Switching
 * Protocols}, the 101 goes to the client, the exchange is logged (status 101, service time = time
 * to the 101) and both connections become a {@link Tunnel}, which gives back the in-flight count
 * when it closes. Any other answer is proxied as usual, and a fresh decoder (fed the held bytes)
 * makes the connection plain HTTP again once the exchange ends.
 *
 * <p>Held requests: when no version of the request's split (or of its version host) has an
 * instance but one is starting or asleep ({@link dev.pier.model.VersionRoute#hold()}), the
 * exchange enters {@link Exchange.Phase#HELD} instead of failing: it registers with {@link
 * HeldRequests} (bounded per app), arms the hold timer on this event loop and issues one probe
 * read, so a client that leaves is noticed while nothing else is read. Each newly published table
 * runs {@link #retryHeld} on this loop, which routes it again; the timer ends it with {@code
 * start_timeout}. Leaving the phase, in any way, unregisters it and adds the wait to the access
 * log entry.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(FrontendHandler.class);
  /** Router error pages keep the client connection only if the unread body is at most this. */
  private static final long MAX_DISCARDED_BODY = 64 * 1024;
  /**
   * After a 413 while the client is still uploading, the router reads and drops at most this many
   * bytes, for at most {@link #LINGER_MILLIS}, before closing: closing with unread input would
   * reset the connection, and the client could lose the 413.
   */
  static final long LINGER_BYTES = 1024 * 1024;
  static final long LINGER_MILLIS = 2_000;
  /** Bytes still to drop before closing, or -1 when not lingering. */
  private long lingerLeft = -1;
  /**
   * A request body of at most this many bytes may go on a pooled connection: it is kept until
   * the instance answers, so it can be sent again if that connection was closed meanwhile.
   */
  static final long MAX_RETRYABLE_BODY = 64 * 1024;

  private final RouterContext router;
  private final BackendConnector connector;
  private final Assigner assigner;
  private final ArrayDeque<Object> queued = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private Exchange current;
  private boolean closing;
  /** The version counter of this connection's previous request: the next one's likely counter. */
  private VersionLoads.Counter lastLoad;
  /** This connection's local port, read once (-1 until then). */
  private int routerPort = -1;
  private final long defaultResponseNanos;
  private final long defaultIdleMillis;
  /** The idle timeout of the connection's idle handler now (an app's own, or the default). */
  private long idleMillis;

  FrontendHandler(RouterContext router) {
    this.router = router;
    this.defaultResponseNanos = router.config().responseTimeout().toNanos();
    this.defaultIdleMillis = router.config().idleTimeout().toMillis();
    this.idleMillis = defaultIdleMillis;
    this.connector = new BackendConnector(router);
    this.assigner = new Assigner(router);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.read();
  }

  /** True while a request that waited in {@link #queued} (pipelined) is being dispatched. */
  private boolean dispatchingQueued;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closing) {
      if (lingerLeft >= 0) linger(msg);
      else ReferenceCountUtil.release(msg);
    } else if (msg instanceof ByteBuf raw) {
      onRawBytes(raw);
    } else if (current != null && !current.acceptsBody()) {
      queued.add(msg); // pipelined: wait for the current response to finish
    } else {
      dispatch(msg);
    }
  }

  private void dispatch(Object msg) {
    if (current != null && msg instanceof HttpContent content) {
      onRequestContent(current, content);
    } else if (current == null && msg instanceof HttpRequest request) {
      // Only the decoder's placeholder for a malformed request is also content; it is empty.
      ReferenceCountUtil.release(msg);
      startExchange(request);
    } else {
      ReferenceCountUtil.release(msg); // body of a request rejected without an exchange
      if (current == null) ctx.read();
    }
  }

  /** Bytes the client sent after the head of an upgrade request, its decoder detached. */
  private void onRawBytes(ByteBuf raw) {
    Exchange ex = current;
    if (ex != null && ex.decoderDetached) {
      ex.earlyData.add(raw); // bounded: no read is requested until the instance answers
    } else {
      raw.release();
    }
  }

  // ---- request side ----

  private void startExchange(HttpRequest request) {
    String requestId = RequestIds.keepOrGenerate(request.headers().get(ProxyHeaders.REQUEST_ID));
    String forwardedFor = ProxyHeaders.forwardedFor(request, clientAddress());
    router.cronHeader().admit(request.headers()); // clients cannot forge X-Pier-Cron
    Exchange ex = new Exchange(request, requestId, forwardedFor, HttpUtil.isKeepAlive(request));
    ex.responseTimeoutNanos = defaultResponseNanos;
    current = ex;
    if (request.decoderResult().isFailure()) {
      ex.requestDone = true; // the decoder discards the rest of a malformed request
      ex.closeAfter = true;
      sendError(ex, decoderError(request.decoderResult().cause()));
      return;
    }
    String host = HostHeader.of(request);
    if (host == null) {
      ex.closeAfter = true; // no Host, or two: as malformed as a broken header line
      sendError(ex, RouterError.BAD_REQUEST);
      return;
    }
    ex.host = host;
    if (answerChallenge(ex)) return; // #12 ACME HTTP-01: no app involved
    ex.table = router.routes().get();
    ex.route = ex.table.lookup(host);
    if (ex.route == null) {
      // no app, no app limits: a previous request's app idle timeout must not stay
      if (idleMillis != defaultIdleMillis) setIdleTimeout(defaultIdleMillis);
      sendError(ex, RouterError.NO_SUCH_APP);
      return;
    }
    if (HttpsRedirect.applies(ex.route, ex.table, request, tls())) {
      sendError(ex, RouterError.HTTPS_REDIRECT); // #12 https-only: a 308 to the HTTPS URL
      return;
    }
    if (applyLimits(ex)) return;
    ex.bucket = splitBucket(ex);
    ex.resendable = ProxyHeaders.resendable(request, MAX_RETRYABLE_BODY);
    // A pipelined upgrade request is proxied as plain HTTP: the decoder may already hold part of
    // the next request, which could be neither relayed raw nor decoded again.
    ex.upgrade = dispatchingQueued ? null : ProxyHeaders.upgradeProtocol(request);
    route(ex);
  }

  /**
   * Applies the app's own limits ({@link RouteLimits}) to {@code ex}: its response timeout,
   * largest body and the connection's idle timeout. Answers 413 and returns true if the declared
   * {@code Content-Length} is already over the largest body. Allocates nothing unless the idle
   * timeout changes from the previous request's on this connection.
   */
  private boolean applyLimits(Exchange ex) {
    RouteLimits limits = ex.route.limits();
    if (limits.requestTimeout() != null) ex.responseTimeoutNanos = limits.requestTimeout().toNanos();
    long idle = limits.idleTimeout() != null ? limits.idleTimeout().toMillis() : defaultIdleMillis;
    if (idle != idleMillis) setIdleTimeout(idle);
    ex.maxBodyBytes = limits.maxBodyBytes();
    if (ex.maxBodyBytes > 0 && ContinueHandler.declaredLength(ex.request) > ex.maxBodyBytes) {
      ex.closeAfter = true; // the body stays unread: the connection cannot carry another request
      sendError(ex, RouterError.BODY_TOO_LARGE);
      return true;
    }
    return false;
  }

  /** Replaces the connection's idle handler by one with {@code millis} (an app's own setting). */
  private void setIdleTimeout(long millis) {
    idleMillis = millis;
    if (ctx.pipeline().get(RouterInitializer.IDLE) != null) {
      ctx.pipeline().replace(RouterInitializer.IDLE, RouterInitializer.IDLE,
          new IdleStateHandler(0, 0, millis, TimeUnit.MILLISECONDS));
    }
  }

  /** The tunnel idle timeout of {@code ex}'s app, else the router's. */
  private java.time.Duration tunnelIdleTimeout(Exchange ex) {
    java.time.Duration own = ex.route == null ? null : ex.route.limits().tunnelIdleTimeout();
    return own != null ? own : router.config().tunnelIdleTimeout();
  }

  /**
   * Sends {@code ex} to an instance of the version its bucket picks in {@code ex.route}; if no
   * version with a share has one, holds it for a version that is starting or asleep, or else
   * answers 503 at once.
   */
  private void route(Exchange ex) {
    if (ex.route.maintenance() != null) {
      sendError(ex, RouterError.MAINTENANCE); // maintenance mode: no request reaches the app
      return;
    }
    VersionRoute own = VersionPicker.staticByShare(ex.route, ex.bucket);
    if (own != null) {
      if (own.site() != null) {
        serveStatic(ex, own);
        return;
      }
      // app.yaml handlers: a static one answers from files, the rest go to the instances.
      StaticHandlers.Match match = own.handlers().match(decodedPath(ex.request.uri()));
      if (match != null) {
        serveHandler(ex, own, match);
        return;
      }
    }
    if (assign(ex, null)) {
      wakeSkipped(ex);
      proceed(ex);
      return;
    }
    VersionRoute waitFor = VersionPicker.holdFor(ex.route, ex.bucket);
    if (waitFor == null) sendError(ex, RouterError.NO_INSTANCES);
    else hold(ex, waitFor);
  }

  /** Rewrites the assigned request for its instance and connects to it. */
  private void proceed(Exchange ex) {
    endHold(ex);
    ex.phase = Exchange.Phase.PROXYING;
    ProxyHeaders.toBackend(ex.request, ex.forwardedFor, proto(), routerPort(), ex.requestId,
        ex.startMillis, ex.upgrade);
    if (ex.upgrade != null && !ex.decoderDetached) detachDecoder(ex);
    ex.connectStartNanos = System.nanoTime();
    connect(ex);
  }

  /**
   * A request that fell back to another version (its own has no instance) still wakes its own
   * version if that one is asleep, so the split is honoured again once it has started.
   */
  private void wakeSkipped(Exchange ex) {
    VersionRoute own = VersionPicker.byShare(ex.route, ex.bucket);
    if (own != null && own.version() != ex.version.version() && own.waitsForBackends()) {
      router.held().wake(ex.route.app(), own.version());
    }
  }

  // ---- holding requests for versions that are starting or asleep ----

  /**
   * Holds {@code ex} until a published table gives its version (or its split) an instance, or
   * the hold timeout passes; 503 {@code hold_queue_full} if its app has as many held as allowed.
   * Nothing more is read from the client meanwhile except one probe read, so a client that leaves
   * is noticed (and the body, if any, waits in the client's socket: back-pressure). Also called
   * again, for a request already held, when a new table still has no instance for it.
   */
  private void hold(Exchange ex, VersionRoute version) {
    String app = ex.route.app();
    ex.version = version;
    if (ex.phase != Exchange.Phase.HELD) {
      HeldRequests.Waiting waiting =
          new HeldRequests.Waiting(app, ctx.executor(), () -> retryHeld(ex));
      if (!router.held().add(waiting)) {
        sendError(ex, RouterError.HOLD_QUEUE_FULL);
        return;
      }
      ex.phase = Exchange.Phase.HELD;
      ex.waiting = waiting;
      ex.heldSinceNanos = System.nanoTime();
      ex.holdTimer = ctx.executor().schedule(() -> holdExpired(ex),
          router.held().limits().timeout().toNanos(), TimeUnit.NANOSECONDS);
      if (ex.upgrade != null) detachDecoder(ex);
      ctx.read(); // the probe: end of stream (or one part of a body or pipelined request)
    }
    countLoad(ex, version.version(), true);
    router.held().wake(app, version.version());
    // A table published while this request was being held may have missed its registration.
    if (router.routes().get() != ex.table) ctx.executor().execute(() -> retryHeld(ex));
  }

  /** Routes a held request again after a table was published (on this channel's loop). */
  private void retryHeld(Exchange ex) {
    if (current != ex || ex.phase != Exchange.Phase.HELD || ex.finished) return;
    RouteTable table = router.routes().get();
    if (table == ex.table) return;
    ex.table = table;
    Route route = table.lookup(ex.host);
    if (route == null) {
      sendError(ex, RouterError.NO_SUCH_APP); // the app was deleted meanwhile
      return;
    }
    ex.route = route;
    route(ex);
  }

  private void holdExpired(Exchange ex) {
    ex.holdTimer = null;
    if (current == ex && ex.phase == Exchange.Phase.HELD && !ex.finished) {
      sendError(ex, RouterError.START_TIMEOUT);
    }
  }

  /** Ends the hold of {@code ex}, if any: unregisters it and stops its timer. */
  private void endHold(Exchange ex) {
    if (ex.phase != Exchange.Phase.HELD) return;
    ex.phase = Exchange.Phase.ROUTING;
    ex.heldNanos += System.nanoTime() - ex.heldSinceNanos;
    if (ex.holdTimer != null) {
      ex.holdTimer.cancel(false);
      ex.holdTimer = null;
    }
    router.held().remove(ex.waiting);
    ex.waiting = null;
  }

  /** Counts {@code ex} on {@code version} of its app (held or not), moving it from another. */
  private void countLoad(Exchange ex, int version, boolean held) {
    String app = ex.route.app();
    VersionLoads.Counter counted = ex.load;
    boolean same = counted != null && counted.key().version() == version
        && counted.key().app().equals(app);
    if (same && ex.loadHeld == held) return;
    if (same && ex.loadHeld) {
      counted.released(); // held, now assigned to an instance of the same version
    } else {
      if (counted != null) counted.end(ex.loadHeld, false);
      ex.load = router.loads().begin(lastLoad, app, version, held);
      lastLoad = ex.load;
    }
    ex.loadHeld = held;
  }

  /** Stops counting {@code ex} on its version, as a completed request; once. */
  private static void endLoad(Exchange ex) {
    if (ex.load != null) {
      ex.load.end(ex.loadHeld, true);
      ex.load = null;
      ex.loadHeld = false;
    }
  }

  /**
   * Removes the client connection's HTTP request decoder (keeping its encoder for the answer), so
   * bytes after an upgrade request's head are not parsed as HTTP: whatever it had buffered comes
   * back right now as raw bytes to {@link #onRawBytes}.
   */
  private void detachDecoder(Exchange ex) {
    if (ctx.pipeline().get(RouterInitializer.HTTP) instanceof HttpServerCodec codec) {
      ex.decoderDetached = true;
      codec.removeInboundHandler();
    }
  }

  /**
   * Makes the client connection HTTP again after an upgrade request the instance did not switch
   * for: a fresh codec replaces the half-removed one and decodes the bytes held meanwhile.
   */
  private void reattachDecoder(Exchange ex) {
    ex.decoderDetached = false;
    ChannelPipeline pipeline = ctx.pipeline();
    pipeline.replace(RouterInitializer.HTTP, RouterInitializer.HTTP,
        RouterInitializer.newHttpCodec());
    List<ByteBuf> held = ex.takeEarlyData();
    for (ByteBuf buf : held) pipeline.fireChannelRead(buf);
    if (!held.isEmpty()) pipeline.fireChannelReadComplete();
  }

  private int splitBucket(Exchange ex) {
    return switch (ex.route.splitBy()) {
      case RANDOM -> SplitBucket.random();
      case IP -> SplitBucket.fromAddress(ctx.channel().remoteAddress());
      case COOKIE -> {
        int bucket = SplitBucket.fromCookies(ex.request.headers().getAll(HttpHeaderNames.COOKIE));
        if (bucket < 0) {
          bucket = SplitBucket.random();
          ex.splitCookie = SplitBucket.setCookie(bucket);
        }
        yield bucket;
      }
    };
  }

  /**
   * Chooses the version and instance for {@code ex} (another than {@code failed}) and counts it in
   * flight, after giving back the count of the previous choice; false if none is left.
   */
  private boolean assign(Exchange ex, Backend failed) {
    releaseBackend(ex);
    Assigner.Assignment a = assigner.assign(ex.host, ex.table, ex.route, ex.bucket, failed,
        ex.version == null ? -1 : ex.version.version());
    if (a == null) return false;
    ex.table = a.table();
    ex.route = a.route();
    ex.version = a.version();
    ex.backend = a.backend();
    ex.counted = true;
    countLoad(ex, a.version().version(), false);
    return true;
  }

  /** Gives back the in-flight count of the exchange's backend, once. */
  private void releaseBackend(Exchange ex) {
    if (ex.counted) {
      ex.counted = false;
      router.inFlight().end(ex.backend);
    }
  }

  private void onRequestContent(Exchange ex, HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    if (last) ex.requestDone = true;
    if (ex.maxBodyBytes > 0 && ex.error == null && !ex.responseDone
        && (ex.bodyBytes += content.content().readableBytes()) > ex.maxBodyBytes) {
      content.release(); // a chunked body grew past the app's limit: nothing more goes on
      ex.closeAfter = true;
      if (ex.responseStarted) abort(ex, RouterError.BODY_TOO_LARGE);
      else sendError(ex, RouterError.BODY_TOO_LARGE);
    } else if (content.decoderResult().isFailure()) {
      content.release();
      ex.closeAfter = true;
      if (ex.responseStarted) finish(ex);
      else sendError(ex, RouterError.BAD_REQUEST);
    } else if (ex.error != null || ex.responseDone) {
      content.release(); // a router error was sent: discard the rest of a small body
      if (last && ex.responseDone) finish(ex);
      else if (!last) ctx.read();
    } else if (ex.outbound == null) {
      ex.pendingBody.add(content); // still connecting; the connect listener sends it
    } else {
      forward(ex, content);
    }
  }

  /**
   * Sends the request to {@code ex.backend} on a pooled connection if it can be re-sent (no body
   * or a small one) and one is unused, else on a new one.
   */
  private void connect(Exchange ex) {
    if (ex.resendable && ex.upgrade == null) {
      BackendPool.Pooled pooled = router.pool().acquire(ctx.channel().eventLoop(), ex.backend);
      if (pooled != null) {
        attach(ex, pooled.channel(), pooled.handler(), true);
        return;
      }
    }
    connectFresh(ex);
  }

  private void attach(Exchange ex, Channel channel, BackendHandler handler, boolean reused) {
    handler.bind(this, ex);
    // A reused connection was not opened for this request: 0, as the access log documents.
    ex.connectNanos = reused ? 0 : System.nanoTime() - ex.connectStartNanos;
    ex.outbound = channel;
    ex.outboundHandler = handler;
    ex.reused = reused;
    sendRequest(ex);
  }

  /** Connects to {@code ex.backend}; a refused first attempt is retried once elsewhere. */
  private void connectFresh(Exchange ex) {
    Backend backend = ex.backend;
    BackendHandler handler = new BackendHandler(backend, router.pool());
    handler.bind(this, ex);
    ChannelFuture connecting = connector.connect(ctx.channel().eventLoop(), backend, handler);
    connecting.addListener((ChannelFuture f) -> {
      // An error page may be on its way (a body over the limit while connecting): nothing more
      // goes to the instance.
      if (ex.finished || current != ex || ex.error != null) {
        f.channel().close();
      } else if (f.isSuccess()) {
        attach(ex, f.channel(), handler, false);
      } else if (!ex.retried && !ex.bodySent) {
        // Nothing reached the instance, so a retry cannot repeat a side effect.
        LOG.debug("connect to {} failed, retrying: {}", backend, f.cause().toString());
        ex.retried = true;
        if (assign(ex, backend)) {
          connect(ex);
        } else {
          ex.connectNanos = System.nanoTime() - ex.connectStartNanos;
          sendError(ex, RouterError.CONNECT_FAILED);
        }
      } else {
        ex.connectNanos = System.nanoTime() - ex.connectStartNanos;
        sendError(ex, RouterError.CONNECT_FAILED);
      }
    });
  }

  private void sendRequest(Exchange ex) {
    Channel outbound = ex.outbound;
    ChannelFuture written = outbound.write(ex.request);
    boolean last = false;
    for (HttpContent part : ex.pendingBody) {
      if (part.content().isReadable()) ex.bodySent = true;
      last |= part instanceof LastHttpContent;
      ex.keepSent(part);
      written = outbound.write(part);
    }
    ex.pendingBody.clear();
    outbound.flush();
    written.addListener(afterRequestWrite(ex, outbound, last));
    outbound.read(); // the app may answer before the body is complete
  }

  private void forward(Exchange ex, HttpContent content) {
    if (content.content().isReadable()) ex.bodySent = true;
    Channel outbound = ex.outbound;
    ex.keepSent(content);
    outbound.writeAndFlush(content)
        .addListener(afterRequestWrite(ex, outbound, content instanceof LastHttpContent));
  }

  private ChannelFutureListener afterRequestWrite(Exchange ex, Channel outbound, boolean last) {
    return f -> {
      if (ex.finished || outbound != ex.outbound) return; // given up or back in the pool
      if (!f.isSuccess()) {
        outbound.close(); // BackendHandler.channelInactive reports the failure
        return;
      }
      if (last) ex.requestWritten = true;
      ex.lastProgressNanos = System.nanoTime();
      if (!ex.responseStarted && ex.responseTimer == null) armResponseTimer(ex);
      if (!ex.requestDone) ctx.read();
      else if (last) readAhead(ex);
    };
  }

  /**
   * Keeps a read pending on a kept-alive HTTP/1.1 client connection once its request is all with
   * the instance: the socket's read interest then stays on between requests (with auto-read off,
   * a read cycle that ends with none pending turns it off and the next {@code read()} on again:
   * two {@code epoll_ctl} calls per request). The client's next request normally comes after the
   * response; one pipelined before it waits in {@link #queued}, and no further read is asked for
   * until it runs, as before. Not for upgrade requests (bytes after them are held raw) nor HTTP/2
   * streams.
   *
   * <p>Only on epoll: there the end of a client's input is seen at once whether a read is pending
   * or not (Netty watches {@code EPOLLRDHUP}), so a client that half-closes or leaves while its
   * response is pending is treated as gone either way (as {@code DrainTest} expects). On NIO the
   * end of input is only seen by a read, so a read ahead would change that; NIO keeps reading
   * only between requests.
   */
  private void readAhead(Exchange ex) {
    if (ex.upgrade == null && ex.clientKeepAlive && !ex.closeAfter && !closing
        && ctx.channel() instanceof io.netty.channel.epoll.EpollSocketChannel) {
      ctx.read();
    }
  }

  private void armResponseTimer(Exchange ex) {
    long timeout = ex.responseTimeoutNanos;
    long remaining = timeout - (System.nanoTime() - ex.lastProgressNanos);
    ex.responseTimer = ctx.executor().schedule(() -> {
      ex.responseTimer = null;
      if (ex.finished || ex.responseStarted) return;
      if (System.nanoTime() - ex.lastProgressNanos >= timeout) {
        sendError(ex, RouterError.RESPONSE_TIMEOUT);
      } else {
        armResponseTimer(ex); // the instance took more body meanwhile
      }
    }, Math.max(remaining, 0), TimeUnit.NANOSECONDS);
  }

  // ---- response side (called by BackendHandler on the same event loop) ----

  /** Writes the response head to the client; it is flushed by {@link #flushClient}. */
  void onBackendResponse(Exchange ex, HttpResponse response) {
    if (ex.finished || ex.responseStarted) return;
    int code = response.status().code();
    if (code == HttpResponseStatus.SWITCHING_PROTOCOLS.code() && ex.upgrade != null) {
      startTunnel(ex, response);
      return;
    }
    if (code < 200) {
      ex.skippingInformational = true; // 1xx: the router already answered 100-continue itself
      return;
    }
    ex.cancelResponseTimer();
    ex.responseStarted = true;
    ex.status = code;
    boolean head = HttpMethod.HEAD.equals(ex.request.method());
    // A connection that carried an upgrade request is never reused, whatever the answer.
    ex.backendReusable = ex.upgrade == null && ProxyHeaders.reusable(response, head);
    boolean keepAlive = ProxyHeaders.toClient(response, ex.requestId, ex.clientVersion,
        ex.clientKeepAlive, head);
    if (!keepAlive) ex.closeAfter = true;
    if (ex.splitCookie != null) response.headers().add(HttpHeaderNames.SET_COOKIE, ex.splitCookie);
    HttpsRedirect.addHsts(response.headers(), ex.route, tls());
    ctx.write(response).addListener((ChannelFuture f) -> {
      if (!f.isSuccess()) ctx.close();
      else readBackend(ex);
    });
  }

  /**
   * Sends the instance's 101 to the client, logs the exchange (as Heroku does: status 101, service
   * time up to the 101), and hands both connections to a {@link Tunnel}. The exchange stays
   * counted in flight until the tunnel closes.
   */
  private void startTunnel(Exchange ex, HttpResponse response) {
    ex.cancelResponseTimer();
    ex.responseStarted = true;
    ex.responseDone = true;
    ex.status = HttpResponseStatus.SWITCHING_PROTOCOLS.code();
    ex.finished = true;
    ProxyHeaders.toClientUpgrade(response, ex.requestId, ex.upgrade);
    if (ex.splitCookie != null) response.headers().add(HttpHeaderNames.SET_COOKIE, ex.splitCookie);
    log(ex);
    current = null;
    closing = true; // no more HTTP on this connection
    // Requests pipelined behind the upgrade were decoded as HTTP: their bytes cannot be relayed.
    boolean pipelinedAfter = !queued.isEmpty();
    releaseQueued();
    Channel backend = ex.outbound;
    ex.outbound = null;
    ex.outboundHandler = null;
    ChannelFuture sent = ctx.writeAndFlush(response);
    Tunnel tunnel = Tunnel.open(ctx.channel(), backend, tunnelIdleTimeout(ex), sent,
        ex.takeEarlyData(), router.tunnels(), () -> {
          endLoad(ex);
          releaseBackend(ex);
        });
    if (pipelinedAfter) tunnel.close("client pipelined HTTP after an upgrade request");
  }

  void onBackendContent(Exchange ex, HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    if (ex.finished || !ex.responseStarted || ex.error != null) {
      content.release();
      if (ex.skippingInformational && last) ex.skippingInformational = false;
      readBackend(ex);
      return;
    }
    ex.bytes += content.content().readableBytes();
    if (last) {
      ex.responseReceived = true;
      releaseOutbound(ex);
    }
    ctx.write(content).addListener((ChannelFuture f) -> {
      if (!f.isSuccess()) {
        ctx.close(); // channelInactive logs the exchange
      } else if (last) {
        ex.responseDone = true;
        if (!ex.requestDone) ex.closeAfter = true; // unread body left on the connection
        finish(ex);
      } else {
        readBackend(ex);
      }
    });
  }

  /**
   * Flushes response parts written by {@link #onBackendResponse} and {@link #onBackendContent};
   * the {@link BackendHandler} calls it when the instance read that produced them completes.
   */
  void flushClient() {
    ctx.flush();
  }

  /** Asks the instance connection for the next response part, if the response still flows. */
  private static void readBackend(Exchange ex) {
    if (!ex.finished && !ex.responseReceived && ex.outbound != null) ex.outbound.read();
  }

  /**
   * Gives the instance connection of a fully received response back to the pool when another
   * request can follow on it; otherwise it is closed when the exchange ends.
   */
  private void releaseOutbound(Exchange ex) {
    Channel outbound = ex.outbound;
    if (outbound == null || !ex.backendReusable || !ex.requestWritten || !outbound.isActive()) {
      return;
    }
    ex.outbound = null;
    ex.outboundHandler.unbind();
    router.pool().release(ex.backend, new BackendPool.Pooled(outbound, ex.outboundHandler));
  }

  void onBackendInvalid(Exchange ex) {
    if (ex.finished) return;
    if (ex.responseStarted) abort(ex, RouterError.INVALID_RESPONSE);
    else sendError(ex, RouterError.INVALID_RESPONSE);
  }

  void onBackendClosed(Exchange ex, Channel channel) {
    if (ex.finished || ex.responseReceived || ex.error != null || current != ex) return;
    // A failed connect attempt (the connect listener decides), or a connection given up.
    if (channel != ex.outbound) return;
    if (ex.reused && !ex.backendAnswered) { // every part written on it is kept (keepSent)
      retryFresh(ex);
      return;
    }
    if (ex.responseStarted) abort(ex, RouterError.BACKEND_CLOSED);
    else sendError(ex, RouterError.BACKEND_CLOSED);
  }

  /**
   * Sends a request again on a new connection to the same instance, after the pooled connection
   * it went on closed before any response byte: the instance closed that idle connection as the
   * request was sent (or earlier), so it never acted on the request. The head and the kept copies
   * of the body parts written go first, then the parts not yet written, in order; parts the client
   * sends meanwhile queue behind them ({@code ex.outbound} is null while connecting).
   */
  private void retryFresh(Exchange ex) {
    LOG.debug("reused connection to {} closed before answering; retrying on a new one",
        ex.backend);
    ex.reused = false; // at most one such retry
    ex.outbound = null;
    ex.outboundHandler = null;
    ex.requestWritten = false;
    ex.cancelResponseTimer();
    ex.requeueSentBody();
    ex.bodySent = false; // unanswered: the instance acted on none of it, and it is all held again
    ex.connectStartNanos = System.nanoTime();
    connectFresh(ex);
  }

  // ---- static releases ----

  /**
   * Answers {@code ex} from the files of a static version ({@link
   * dev.pier.router.statics.StaticResponder}), with no instance; logged and counted like a
   * proxied request. The rest of a small request body is read and dropped, as for error pages.
   */
  private void serveStatic(Exchange ex, VersionRoute version) {
    var secure = new dev.pier.router.statics.StaticResponder.Secure(
        tls(), ex.table.httpsPort(), HttpsRedirect.hsts(ex.route, tls()));
    serveFiles(ex, version, keepAlive -> dev.pier.router.statics.StaticResponder.serve(
        ctx, ex.request, version.site(), ex.requestId, keepAlive, ex.splitCookie, secure));
  }

  /** Answers {@code ex} with the file of an app.yaml static handler of {@code version}. */
  private void serveHandler(Exchange ex, VersionRoute version, StaticHandlers.Match match) {
    serveFiles(ex, version, keepAlive -> dev.pier.router.statics.StaticResponder.serveHandler(
        ctx, ex.request, version.handlers(), match, ex.requestId, keepAlive, ex.splitCookie,
        HttpsRedirect.hsts(ex.route, tls())));
  }

  /**
   * The path of {@code uri} without its query, percent-decoded, for matching app.yaml handlers;
   * the raw path when it does not decode (no static handler file has such a name).
   */
  static String decodedPath(String uri) {
    int q = uri.indexOf('?');
    String raw = q < 0 ? uri : uri.substring(0, q);
    if (raw.indexOf('%') < 0) return raw;
    try {
      // A '+' in a path is itself (the decoder would make it a space, as in a query).
      return io.netty.handler.codec.http.QueryStringDecoder.decodeComponent(raw.replace("+", "%2B"));
    } catch (IllegalArgumentException e) {
      return raw;
    }
  }

  private void serveFiles(Exchange ex, VersionRoute version,
      java.util.function.Function<Boolean, dev.pier.router.statics.StaticResponder.Served> writer) {
    endHold(ex);
    ex.version = version;
    countLoad(ex, version.version(), false);
    ex.responseStarted = true;
    if (!ex.requestDone && !bodyCheapToDiscard(ex.request)) ex.closeAfter = true;
    boolean keepAlive = ex.clientKeepAlive && !ex.closeAfter;
    if (!keepAlive) ex.closeAfter = true;
    dev.pier.router.statics.StaticResponder.Served served = writer.apply(keepAlive);
    ex.status = served.status();
    ex.bytes = served.bytes();
    served.written().addListener((ChannelFuture f) -> {
      ex.responseDone = true;
      if (!f.isSuccess()) ex.closeAfter = true;
      if (!f.isSuccess() || ex.closeAfter || ex.requestDone) finish(ex);
      else ctx.read(); // discard the body up to its end
    });
  }

  /**
   * Answers {@code ex} if it asks for an ACME HTTP-01 token the router publishes ({@link
   * dev.pier.router.acme.Http01Challenges}); false leaves it to routing.
   */
  private boolean answerChallenge(Exchange ex) {
    boolean keepAlive = ex.clientKeepAlive && (ex.requestDone || bodyCheapToDiscard(ex.request));
    FullHttpResponse answer = router.challenges().answer(ex.host, ex.request, keepAlive);
    if (answer == null) return false;
    if (!keepAlive) ex.closeAfter = true;
    if (keepAlive && ex.clientVersion.minorVersion() == 0) {
      answer.headers().set(HttpHeaderNames.CONNECTION, "keep-alive");
    }
    ex.responseStarted = true;
    ex.status = answer.status().code();
    ex.bytes = answer.content().readableBytes();
    ctx.writeAndFlush(answer).addListener((ChannelFuture f) -> {
      ex.responseDone = true;
      if (!f.isSuccess()) ex.closeAfter = true;
      if (!f.isSuccess() || ex.closeAfter || ex.requestDone) finish(ex);
      else ctx.read(); // discard the body up to its end
    });
    return true;
  }

  // ---- endings ----

  /** Answers with a router error page, unless the app's response already started. */
  private void sendError(Exchange ex, RouterError error) {
    if (ex.responseStarted) {
      abort(ex, error);
      return;
    }
    endHold(ex);
    ex.error = error;
    ex.status = error.status().code();
    ex.responseStarted = true;
    ex.cancelResponseTimer();
    ex.releaseHeldBody();
    ex.closeOutbound();
    releaseBackend(ex); // the instance has no part in the rest of this exchange
    if (!ex.requestDone && !bodyCheapToDiscard(ex.request)) ex.closeAfter = true;
    boolean keepAlive = ex.clientKeepAlive && !ex.closeAfter;
    if (!keepAlive) ex.closeAfter = true;
    FullHttpResponse page = error == RouterError.MAINTENANCE && ex.route != null && ex.route.maintenance() != null
        ? ErrorPages.maintenance(ex.route.maintenance(), ex.requestId, keepAlive)
        : ErrorPages.page(error, ex.requestId, keepAlive);
    if (error == RouterError.HTTPS_REDIRECT) {
      page.headers().set(HttpHeaderNames.LOCATION, HttpsRedirect.location(ex.host, ex.request.uri(), ex.table.httpsPort()));
    }
    HttpsRedirect.addHsts(page.headers(), ex.route, tls());
    if (ex.splitCookie != null) page.headers().add(HttpHeaderNames.SET_COOKIE, ex.splitCookie);
    if (keepAlive && ex.clientVersion.minorVersion() == 0) {
      page.headers().set(HttpHeaderNames.CONNECTION, "keep-alive");
    }
    ex.bytes = page.content().readableBytes();
    ctx.writeAndFlush(page).addListener((ChannelFuture f) -> {
      ex.responseDone = true;
      if (!f.isSuccess() || ex.closeAfter || ex.requestDone) finish(ex);
      else ctx.read(); // keep discarding the body up to its end
    });
  }

  /** Ends an exchange whose response is already partly sent: the client connection must close. */
  private void abort(Exchange ex, RouterError error) {
    ex.error = error;
    ex.closeAfter = true;
    finish(ex);
  }

  private void finish(Exchange ex) {
    if (ex.finished) return;
    ex.finished = true;
    endHold(ex);
    ex.cancelResponseTimer();
    ex.releaseHeldBody();
    ex.closeOutbound();
    endLoad(ex); // before the instance's count, so a drained instance means counted versions
    releaseBackend(ex);
    log(ex);
    if (current == ex) current = null;
    if (ex.closeAfter || !ex.clientKeepAlive) {
      ex.releaseEarlyData();
      if (ex.error == RouterError.BODY_TOO_LARGE && !ex.requestDone && !ex.decoderDetached) {
        closeAfterUpload();
      } else {
        closeClient();
      }
      return;
    }
    if (ex.decoderDetached) {
      if (closing) ex.releaseEarlyData();
      else reattachDecoder(ex); // the instance did not switch protocols: plain HTTP again
    }
    while (!closing && !queued.isEmpty() && (current == null || current.acceptsBody())) {
      dispatchingQueued = true;
      try {
        dispatch(queued.poll());
      } finally {
        dispatchingQueued = false;
      }
    }
    if (current == null && !closing) ctx.read();
  }

  /**
   * Closes the client connection after a 413 sent while its body is still coming: sends FIN once
   * the answer is out, then drops what the client still sends (up to {@link #LINGER_BYTES}, for
   * up to {@link #LINGER_MILLIS}) and closes, so the close is not a reset that loses the 413.
   */
  private void closeAfterUpload() {
    closing = true;
    releaseQueued();
    lingerLeft = LINGER_BYTES;
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFuture f) -> {
      if (!f.isSuccess() || !(ctx.channel() instanceof io.netty.channel.socket.DuplexChannel d)) {
        ctx.close();
        return;
      }
      d.shutdownOutput();
      ctx.executor().schedule(() -> {
        ctx.close();
      }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
      ctx.read();
    });
  }

  /** Drops input read while lingering before the close; closes at the body's end or budget. */
  private void linger(Object msg) {
    long n = msg instanceof ByteBuf b ? b.readableBytes()
        : msg instanceof HttpContent c ? c.content().readableBytes() : 0;
    boolean end = msg instanceof LastHttpContent;
    ReferenceCountUtil.release(msg);
    lingerLeft -= n;
    if (end || lingerLeft < 0) ctx.close();
    else ctx.read();
  }

  private void closeClient() {
    closing = true;
    releaseQueued();
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER)
        .addListener(ChannelFutureListener.CLOSE);
  }

  private void log(Exchange ex) {
    try {
      router.accessLog().log(ex.logEntry());
    } catch (RuntimeException e) {
      LOG.warn("access log failed", e);
    }
  }

  private void releaseQueued() {
    Object msg;
    while ((msg = queued.poll()) != null) ReferenceCountUtil.release(msg);
  }

  // ---- client connection events ----

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closing = true;
    releaseQueued();
    Exchange ex = current;
    if (ex != null && !ex.finished) {
      if (!ex.responseDone) {
        ex.error = ex.error == null ? RouterError.CLIENT_CLOSED : ex.error;
        if (!ex.responseStarted) ex.status = RouterError.CLIENT_CLOSED.status().code();
      }
      finish(ex);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == HeadDeadline.EXPIRED) {
      if (current == null && !closing) rejectSlowHead();
      return; // else an exchange runs (bytes sent ahead of an upgrade's 101): not a head
    }
    if (evt instanceof IdleStateEvent) {
      Exchange ex = current;
      if (ex == null) {
        ctx.close(); // keep-alive connection idle between requests
      } else if (ex.phase != Exchange.Phase.HELD && (ex.responseStarted || !ex.requestDone)) {
        // A stalled upload, or a response nobody reads or that stopped flowing. (While the app
        // thinks about its answer the response timeout applies instead.)
        ex.closeAfter = true;
        sendError(ex, RouterError.IDLE_TIMEOUT);
      }
    }
    ReferenceCountUtil.release(evt);
  }

  /**
   * Answers 408 to a client whose request head did not arrive within the head deadline, and
   * closes the connection. No access log entry: there is no request to describe, and a slowloris
   * flood would fill the log.
   */
  private void rejectSlowHead() {
    LOG.debug("client {} sent no complete request head in time", ctx.channel().remoteAddress());
    closing = true;
    releaseQueued();
    ctx.writeAndFlush(ErrorPages.page(RouterError.HEAD_TIMEOUT, RequestIds.keepOrGenerate(null),
        false)).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("client connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  private String clientAddress() {
    SocketAddress remote = ctx.channel().remoteAddress();
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress();
    }
    return String.valueOf(remote);
  }

  /** {@code https} when this connection came in on the TLS port (an SslHandler decrypts it). */
  private String proto() {
    return tls() ? "https" : "http";
  }

  /** 0 until the first request asks, then 1 for a plain connection, 2 for TLS (it never changes). */
  private int tlsState;

  /**
   * Whether this connection is TLS: looked up in the pipeline once, by its first request. An
   * HTTP/2 stream's TLS is in its connection's (the parent channel's) pipeline.
   */
  private boolean tls() {
    if (tlsState == 0) {
      Channel ch = ctx.channel();
      ChannelPipeline connection = ch instanceof io.netty.handler.codec.http2.Http2StreamChannel
          ? ch.parent().pipeline() : ctx.pipeline();
      tlsState = connection.get(io.netty.handler.ssl.SslHandler.class) != null ? 2 : 1;
    }
    return tlsState == 2;
  }

  private int routerPort() {
    int port = routerPort;
    if (port < 0) {
      port = ctx.channel().localAddress() instanceof InetSocketAddress local ? local.getPort() : 0;
      routerPort = port;
    }
    return port;
  }

  /** The answer to a request the HTTP decoder could not read. */
  private static RouterError decoderError(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) return RouterError.URI_TOO_LONG;
    if (cause instanceof TooLongHttpHeaderException) return RouterError.HEADERS_TOO_LARGE;
    return RouterError.BAD_REQUEST;
  }

  private static boolean bodyCheapToDiscard(HttpRequest request) {
    if (HttpUtil.isTransferEncodingChunked(request)) return false;
    return HttpUtil.getContentLength(request, 0L) <= MAX_DISCARDED_BODY;
  }
}
