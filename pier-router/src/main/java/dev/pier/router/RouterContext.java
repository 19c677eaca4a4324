package dev.pier.router;

import dev.pier.model.RouteTable;
import java.util.function.Supplier;

/**
 * What every client connection shares: settings, the current routes, balancing, in-flight counts,
 * logging, and the pool of unused instance connections.
 */
record RouterContext(
    RouterConfig config,
    Supplier<RouteTable> routes,
    LoadBalancer balancer,
    InFlight inFlight,
    AccessLog accessLog,
    Transport transport,
    BackendPool pool) {

  /** A context with its own, empty pool. */
  RouterContext(RouterConfig config, Supplier<RouteTable> routes, LoadBalancer balancer,
      InFlight inFlight, AccessLog accessLog, Transport transport) {
    this(config, routes, balancer, inFlight, accessLog, transport, new BackendPool(config, routes));
  }
}
