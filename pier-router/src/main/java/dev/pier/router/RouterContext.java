package dev.pier.router;

import dev.pier.model.RouteTable;
import java.util.function.Supplier;

/**
 * What every client connection shares: settings, the current routes, balancing, in-flight counts,
 * logging, the pool of unused instance connections, and the open client connection counts.
 */
record RouterContext(
    RouterConfig config,
    Supplier<RouteTable> routes,
    LoadBalancer balancer,
    InFlight inFlight,
    AccessLog accessLog,
    Transport transport,
    BackendPool pool,
    ConnectionLimits connections) {

  /** A context with its own, empty pool and connection counts. */
  RouterContext(RouterConfig config, Supplier<RouteTable> routes, LoadBalancer balancer,
      InFlight inFlight, AccessLog accessLog, Transport transport) {
    this(config, routes, balancer, inFlight, accessLog, transport, new BackendPool(config, routes),
        new ConnectionLimits(config.clientLimits()));
  }
}
