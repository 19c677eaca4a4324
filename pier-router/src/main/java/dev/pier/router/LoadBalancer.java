package dev.pier.router;

import dev.pier.model.Backend;
import dev.pier.model.Route;

/**
 * Chooses which instance of a route receives the next request.
 *
 * <p>Contract: {@link #pick} MUST be safe to call concurrently from several event loops and MUST
 * NOT block. It MUST return one of {@code route.backends()}, never {@code exclude}, or null when
 * no other backend remains (so a retry never lands on the instance that just failed).
 */
public interface LoadBalancer {
  /**
   * Returns the backend for the next request to {@code route}.
   *
   * @param exclude a backend that just failed for this request, or null on the first attempt
   * @return a backend other than {@code exclude}, or null if there is none
   */
  Backend pick(Route route, Backend exclude);
}
