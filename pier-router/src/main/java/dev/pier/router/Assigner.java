package dev.pier.router;

import dev.pier.model.Backend;
import dev.pier.model.Route;
import dev.pier.model.RouteTable;
import dev.pier.model.VersionRoute;
import java.util.function.ToIntFunction;

/**
 * Assigns a request to a version and an instance, and counts it in flight on that instance.
 *
 * <p>Draining guarantee: once the control plane has published a table without a backend, no
 * request is newly assigned to it. The count is raised first and the current table re-read
 * after: if it is still the snapshot the choice came from, any later table (and the control
 * plane's poll after publishing it) sees the count; if it changed and no longer routes the host's
 * traffic to that backend, the count is undone and the choice made again from the new table.
 *
 * <p>Thread-safe: called from every event loop; keeps no state of its own.
 */
final class Assigner {
  /** How many concurrent table changes one assignment follows before giving up. */
  private static final int MAX_TABLE_CHANGES = 8;

  private final RouterContext router;
  /** The in-flight counts the balancer sees; one instance, so a pick allocates nothing. */
  private final ToIntFunction<Backend> inFlight;

  Assigner(RouterContext router) {
    this.router = router;
    InFlight counts = router.inFlight();
    this.inFlight = counts::count;
  }

  /** A counted assignment; the caller must call {@link InFlight#end} for it exactly once. */
  record Assignment(RouteTable table, Route route, VersionRoute version, Backend backend) {}

  /**
   * Chooses a backend for a request and counts it in flight.
   *
   * @param host the request's Host header
   * @param table the snapshot {@code route} was looked up in
   * @param route the route for {@code host} in {@code table}
   * @param bucket the request's split bucket
   * @param failed a backend that refused this request, or null on the first attempt; a retry
   *     prefers another instance of {@code failedVersion}, then another version with a share
   * @param failedVersion the version number of {@code failed}
   * @return the assignment, or null when no backend is left
   */
  Assignment assign(String host, RouteTable table, Route route, int bucket, Backend failed,
      int failedVersion) {
    for (int i = 0; i < MAX_TABLE_CHANGES && route != null; i++) {
      Assignment choice = choose(table, route, bucket, failed, failedVersion);
      if (choice == null) return null;
      router.inFlight().begin(choice.backend());
      RouteTable now = router.routes().get();
      if (now == table) return choice;
      Route current = now.lookup(host);
      if (current != null && current.backends().contains(choice.backend())) {
        return new Assignment(now, current, choice.version(), choice.backend());
      }
      router.inFlight().end(choice.backend()); // published away meanwhile: choose again
      table = now;
      route = current;
    }
    return null;
  }

  private Assignment choose(RouteTable table, Route route, int bucket, Backend failed,
      int failedVersion) {
    if (failed != null) {
      for (VersionRoute same : VersionPicker.shared(route)) {
        if (same.version() != failedVersion) continue;
        Backend other = router.balancer().pick(route.app(), same, failed, inFlight);
        if (other != null) return new Assignment(table, route, same, other);
      }
    }
    VersionRoute version = VersionPicker.pick(route, bucket,
        v -> failed != null && v == failedVersion);
    if (version == null) return null;
    Backend backend = router.balancer().pick(route.app(), version, failed, inFlight);
    return backend == null ? null : new Assignment(table, route, version, backend);
  }
}
