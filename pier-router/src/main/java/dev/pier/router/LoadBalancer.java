package dev.pier.router;

import dev.pier.model.Backend;
import dev.pier.model.VersionRoute;

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
}
