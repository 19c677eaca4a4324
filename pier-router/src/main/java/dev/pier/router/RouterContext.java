package dev.pier.router;

import dev.pier.model.RouteTable;
import java.util.function.Supplier;

/** What every client connection shares: settings, the current routes, balancing and logging. */
record RouterContext(
    RouterConfig config,
    Supplier<RouteTable> routes,
    LoadBalancer balancer,
    AccessLog accessLog,
    Transport transport) {}
