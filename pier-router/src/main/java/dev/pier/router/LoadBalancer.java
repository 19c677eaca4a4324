package dev.pier.router;

import dev.pier.model.Backend;
import dev.pier.model.VersionRoute;
import java.util.function.ToIntFunction;

/**
 * Chooses which instance of an app version receives the next request (the version itself is
 * chosen before, by the route's traffic split).
 *
 * <p>Contract: {@link #pick} MUST be safe to call concurrently from several event loops and MUST
 * NOT block. It MUST return one of {@code version.backends()}, never {@code exclude}, or null when
 * no other backend remains (so a retry never lands on the instance that just failed).
 */
public interface LoadBalancer {
  /**
   * Returns the backend for the next request to {@code version} of {@code app}.
   *
   * @param exclude a backend that just failed for this request, or null on the first attempt
   * @return a backend of {@code version} other than {@code exclude}, or null if there is none
   */
  Backend pick(String app, VersionRoute version, Backend exclude);

  /**
   * As {@link #pick(String, VersionRoute, Backend)}, told how many requests each backend has in
   * flight right now ({@code inFlight}, cheap, allocation-free). The router calls this one; a
   * balancer that needs no counts keeps the default.
   */
  default Backend pick(String app, VersionRoute version, Backend exclude, ToIntFunction<Backend> inFlight) {
    return pick(app, version, exclude);
  }

  /**
   * The balancer named {@code name}: {@code least-in-flight} (the default, {@link LeastInFlight})
   * or {@code round-robin} ({@link RoundRobin}); null or blank means the default.
   *
   * @throws IllegalArgumentException for any other name
   */
  static LoadBalancer named(String name) {
    if (name == null || name.isBlank() || name.equals("least-in-flight")) return new LeastInFlight();
    if (name.equals("round-robin")) return new RoundRobin();
    throw new IllegalArgumentException("unknown router balancer '" + name
        + "': use least-in-flight or round-robin");
  }
}
