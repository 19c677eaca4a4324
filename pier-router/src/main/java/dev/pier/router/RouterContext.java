package dev.pier.router;

import dev.pier.model.RouteTable;
import java.util.function.Supplier;

/**
 * What every client connection shares: settings, the current routes, balancing, in-flight counts
 * and logging.
 */
record RouterContext(
    RouterConfig config,
    Supplier<RouteTable> routes,
    LoadBalancer balancer,
    InFlight inFlight,
    AccessLog accessLog,
    Transport transport) {}
