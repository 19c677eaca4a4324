package dev.pier.router;

import dev.pier.model.RouteTable;
import java.util.function.Supplier;

/**
 * What every client connection shares: settings, the current routes, balancing, in-flight counts,
 * logging, the pool of unused instance connections, the open client connection counts, the
 * requests held for starting versions, the load counters per version and the per-boot key of
 * Pier's scheduled requests ({@link CronHeader}) and the ACME HTTP-01 challenges it answers.
 */
record RouterContext(
    RouterConfig config,
    Supplier<RouteTable> routes,
    LoadBalancer balancer,
    InFlight inFlight,
    AccessLog accessLog,
    Transport transport,
    BackendPool pool,
    ConnectionLimits connections,
    HeldRequests held,
    VersionLoads loads,
    CronHeader cronHeader,
    TunnelStats tunnels,
    dev.pier.router.acme.Http01Challenges challenges) {

  /** A context without ACME challenges of its own (a fresh, empty set). */
  RouterContext(RouterConfig config, Supplier<RouteTable> routes, LoadBalancer balancer,
      InFlight inFlight, AccessLog accessLog, Transport transport, BackendPool pool,
      ConnectionLimits connections, HeldRequests held, VersionLoads loads, CronHeader cronHeader,
      TunnelStats tunnels) {
    this(config, routes, balancer, inFlight, accessLog, transport, pool, connections, held, loads,
        cronHeader, tunnels, new dev.pier.router.acme.Http01Challenges());
  }

  /** A context without tunnel counts of its own (a fresh {@link TunnelStats}). */
  RouterContext(RouterConfig config, Supplier<RouteTable> routes, LoadBalancer balancer,
      InFlight inFlight, AccessLog accessLog, Transport transport, BackendPool pool,
      ConnectionLimits connections, HeldRequests held, VersionLoads loads, CronHeader cronHeader) {
    this(config, routes, balancer, inFlight, accessLog, transport, pool, connections, held, loads,
        cronHeader, new TunnelStats());
  }

  /** A context with its own, empty pool, connection counts, held requests and load counters. */
  RouterContext(RouterConfig config, Supplier<RouteTable> routes, LoadBalancer balancer,
      InFlight inFlight, AccessLog accessLog, Transport transport, Waker waker) {
    this(config, routes, balancer, inFlight, accessLog, transport, new BackendPool(config, routes),
        new ConnectionLimits(config.clientLimits()),
        new HeldRequests(config.holdLimits(), waker), new VersionLoads(), new CronHeader());
  }

  /** As above, without wake-ups ({@link Waker#NONE}). */
  RouterContext(RouterConfig config, Supplier<RouteTable> routes, LoadBalancer balancer,
      InFlight inFlight, AccessLog accessLog, Transport transport) {
    this(config, routes, balancer, inFlight, accessLog, transport, Waker.NONE);
  }
}
