package dev.pier.router;

import dev.pier.model.RouteTable;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP router: accepts client connections and forwards each request to an instance of the
 * app named by its Host header (see the package documentation for the full flow).
 *
 * <p>Lifecycle: construct, {@link #start()}, publish routes with {@link #routes} whenever they
 * change (draining removed instances with {@link #inFlight(String, int)}), {@link #close()}.
 * Until routes are published every request gets a 404 page. All methods are thread-safe.
 *
 * <p>Scale to zero: a version published with {@link dev.pier.model.VersionRoute#hold()} and no
 * backends gets its requests held (bounded by {@link RouterConfig#holdLimits()}) rather than
 * answered 503; the {@link Waker} given here is told, and the requests go to an instance as soon as
 * a table gives the version one. {@link #load()} reports what the autoscaler needs.
 */
public final class RouterServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RouterServer.class);
  /** How long {@link #close()} waits for the access log to take the last entries. */
  private static final Duration ACCESS_LOG_DRAIN = Duration.ofSeconds(2);

  private final RouterConfig config;
  private final AtomicReference<RouteTable> routes = new AtomicReference<>(RouteTable.EMPTY);
  private final InFlight inFlight = new InFlight();
  private final AccessLogQueue accessLog;
  private final RouterContext context;
  /** HTTP/2 client connections (both ports): sent GOAWAY on {@link #close()}. */
  private final dev.pier.router.http2.Http2Front http2;
  private EventLoopGroup acceptors;
  private EventLoopGroup workers;
  private Channel serverChannel;
  private Channel tlsChannel;

  public RouterServer(RouterConfig config, AccessLog accessLog) {
    this(config, accessLog, new LeastInFlight(), Transport.detect());
  }

  public RouterServer(RouterConfig config, AccessLog accessLog, LoadBalancer balancer) {
    this(config, accessLog, balancer, Transport.detect());
  }

  /**
   * A router that tells {@code waker} when a request waits for a version that is starting or
   * asleep, so the control plane can start it.
   */
  public RouterServer(RouterConfig config, AccessLog accessLog, LoadBalancer balancer,
      Waker waker) {
    this(config, accessLog, balancer, Transport.detect(), waker);
  }

  RouterServer(RouterConfig config, AccessLog accessLog, LoadBalancer balancer, Transport transport) {
    this(config, accessLog, balancer, transport, Waker.NONE);
  }

  RouterServer(RouterConfig config, AccessLog accessLog, LoadBalancer balancer, Transport transport,
      Waker waker) {
    this.config = Objects.requireNonNull(config, "config");
    this.accessLog = new AccessLogQueue(Objects.requireNonNull(accessLog, "accessLog"),
        AccessLogQueue.DEFAULT_CAPACITY, ACCESS_LOG_DRAIN);
    this.context = new RouterContext(config, routes::get, Objects.requireNonNull(balancer),
        inFlight, this.accessLog, transport, Objects.requireNonNull(waker, "waker"));
    this.http2 = RouterInitializer.http2(context);
  }

  /** The per-boot key that makes the router mark a request {@code X-Pier-Cron: true} ({@link CronHeader}). */
  public String cronKey() {
    return context.cronHeader().key();
  }

  /** The ACME HTTP-01 challenges the router answers on its ports (#12 automatic certificates). */
  public dev.pier.router.acme.Http01Challenges challenges() {
    return context.challenges();
  }

  /**
   * How many event loops serve connections: {@code PIER_ROUTER_THREADS} (or {@code
   * -Dpier.router.threads=}) when set to a whole number from 1 to 4 per processor, else {@link #DEFAULT_EVENT_LOOPS}
   * applied to the processors the JVM sees. A malformed value stops the start.
   */
  static int eventLoops() {
    String value = System.getProperty("pier.router.threads", System.getenv("PIER_ROUTER_THREADS"));
    if (value == null || value.isBlank()) return DEFAULT_EVENT_LOOPS.applyAsInt(Runtime.getRuntime().availableProcessors());
    int n;
    try {
      n = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      n = 0;
    }
    int most = 4 * Runtime.getRuntime().availableProcessors();
    if (n < 1 || n > most) {
      throw new IllegalArgumentException("PIER_ROUTER_THREADS must be a whole number from 1 to " + most
          + " (4 per processor), not " + value);
    }
    return n;
  }

  /**
   * Event loops for a number of processors: one each. Measured on 2 cores (bare router, paired
   * rounds): 1 or 2 loops took 5-8 % less CPU per request than Netty's default of 2 per processor
   * (more loops only add wake-ups and idle polling on a machine the instances share).
   */
  static final java.util.function.IntUnaryOperator DEFAULT_EVENT_LOOPS = cpus -> Math.max(1, cpus);

  /** Binds the listening socket; returns once the router accepts connections. */
  public synchronized void start() throws InterruptedException {
    if (serverChannel != null) throw new IllegalStateException("already started");
    Transport transport = context.transport();
    int loops = eventLoops();
    accessLog.start();
    acceptors = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
    workers = new MultiThreadIoEventLoopGroup(loops, transport.ioHandlerFactory());
    try {
      serverChannel = new ServerBootstrap()
          .group(acceptors, workers)
          .channel(transport.serverChannel())
          .option(ChannelOption.SO_BACKLOG, 1024)
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.AUTO_READ, false)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new RouterInitializer(context, http2))
          .bind(config.bindHost(), config.port())
          .sync()
          .channel();
    } catch (InterruptedException | RuntimeException e) {
      shutdownGroups();
      throw e;
    }
    LOG.info("router listening on {}:{} ({})", config.bindHost(), port(), transport.name());
    warnIfFileLimitLow();
  }

  /**
   * Also listens for HTTPS on {@code port} (0: a free one) of the bind host: each connection's
   * certificate comes from {@code certificates} by its SNI name, then it is served like the plain
   * port (apps see {@code X-Forwarded-Proto: https}). Call after {@link #start()}.
   */
  public synchronized void startTls(int port, dev.pier.router.tls.CertificateSource certificates)
      throws InterruptedException {
    if (serverChannel == null) throw new IllegalStateException("not started");
    if (tlsChannel != null) throw new IllegalStateException("TLS already started");
    tlsChannel = new ServerBootstrap()
        .group(acceptors, workers)
        .channel(context.transport().serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new RouterInitializer(context, Objects.requireNonNull(certificates), http2))
        .bind(config.bindHost(), port)
        .sync()
        .channel();
    LOG.info("router listening for HTTPS on {}:{}", config.bindHost(), tlsPort());
  }

  /** Returns the bound TLS port, or 0 when {@link #startTls} was not called. */
  public synchronized int tlsPort() {
    return tlsChannel == null ? 0 : ((InetSocketAddress) tlsChannel.localAddress()).getPort();
  }

  /**
   * Each client connection can take two file descriptors (its own and one to an instance): warn
   * when the process's limit would run out before the connection limit is reached.
   */
  private void warnIfFileLimitLow() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean os) {
      long files = os.getMaxFileDescriptorCount();
      int connections = config.clientLimits().maxConnections();
      if (files < 2L * connections + 1024) {
        LOG.warn("the file limit ({}) is low for {} client connections; raise it (ulimit -n) or"
            + " lower the router's connection limit", files, connections);
      }
    }
  }

  /** Returns the bound port (the real one when configured with port 0). */
  public synchronized int port() {
    if (serverChannel == null) throw new IllegalStateException("not started");
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /**
   * Replaces the route snapshot; requests that start after this call use the new table. Unused
   * kept-alive connections to instances missing from it are closed soon after (those in use
   * close when their request ends). Held requests are routed again with it, each on its own
   * event loop: those whose version (for an app host: whose split) now has an instance go to it.
   */
  public void routes(RouteTable table) {
    routes.set(Objects.requireNonNull(table, "table"));
    context.pool().routesChanged();
    context.held().routesChanged();
    context.loads().prune(table);
  }

  /** Returns the route snapshot in use. */
  public RouteTable routes() {
    return routes.get();
  }

  /**
   * Returns how many requests are assigned to the instance at {@code host}:{@code port} (as
   * spelled in its {@link dev.pier.model.Backend}) right now: counted from the moment it is
   * chosen for a request, before connecting, until that request's exchange ends in any way (for
   * an upgraded connection such as a WebSocket: until the tunnel closes).
   *
   * <p>To drain an instance: publish a table without it with {@link #routes(RouteTable)}, wait
   * until this returns 0, then stop it. After {@code routes} returns no new request is assigned
   * to a backend missing from the table; requests already assigned finish normally.
   */
  public int inFlight(String host, int port) {
    return inFlight.count(host, port);
  }

  /** Returns how many requests are assigned to any instance right now. */
  public int inFlight() {
    return inFlight.total();
  }

  /**
   * Returns the load per app version and per instance right now, for the autoscaler: cheap (no
   * event loop is involved) and safe to call from any thread, every second if need be. See {@link
   * RouterLoad} for how to turn two snapshots into average concurrency and requests per second.
   */
  public RouterLoad load() {
    long now = System.nanoTime();
    return new RouterLoad(now, context.loads().snapshot(now), inFlight.snapshot());
  }

  /** Returns how many requests wait for a version that is starting or asleep, all apps together. */
  public int held() {
    return context.held().total();
  }

  /** Returns how many client connections are open (counted against {@link ClientLimits}). */
  public int clientConnections() {
    return context.connections().openCount();
  }

  /**
   * Returns the counts of upgraded connections (WebSockets): open now, closed, and the bytes and
   * time the closed ones carried.
   */
  public TunnelStats.Snapshot tunnels() {
    return context.tunnels().snapshot();
  }

  /** Returns the router's settings (per-app limits fall back to these). */
  public RouterConfig config() {
    return context.config();
  }

  /** Returns how many client connections were refused for a limit since the start. */
  public long refusedConnections() {
    return context.connections().refused();
  }

  /**
   * Stops accepting connections, closes open ones and stops the event loops, waiting at most a
   * few seconds. Safe to call more than once.
   */
  @Override
  public synchronized void close() {
    if (serverChannel != null) {
      serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
    if (tlsChannel != null) {
      tlsChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
    http2.goAway();
    shutdownGroups();
    accessLog.close(); // after the loops, so the entries of connections closed above get logged
  }

  private void shutdownGroups() {
    for (EventLoopGroup group : new EventLoopGroup[] {acceptors, workers}) {
      if (group != null) {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
      }
    }
  }
}
