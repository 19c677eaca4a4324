package dev.pier.model;

import java.util.List;

/**
 * One version of an app as the router sees it: its share of the app's traffic in whole percent
 * (0 for a version reachable only at its own URL), its ready web instances, and whether requests
 * for it should wait while it has none.
 *
 * @param version the version number
 * @param percent the version's share of the app host's traffic, 0 to 100
 * @param backends the ready web instances, possibly none
 * @param hold true while the version is starting or asleep (scaled to zero): a request the router
 *     sends to it while it has no backend is held until a later table gives it one (or its hold
 *     timeout passes) instead of being answered {@code 503 no_instances} at once. Meaningless
 *     while {@code backends} is not empty
 * @param site for a static release, the files the router serves itself (the version then has
 *     no backends and never holds); null for a release served by its instances
 * @param handlers for a release served by instances, its app.yaml handlers: paths a static
 *     handler matches are answered by the router from files, the rest go to the instances; null
 *     when it has none (every path goes to the instances)
 */
public record VersionRoute(
    int version, int percent, List<Backend> backends, boolean hold, StaticSite site, StaticHandlers handlers) {
  public VersionRoute {
    if (percent < 0 || percent > 100) throw new IllegalArgumentException("percent out of range: " + percent);
    backends = List.copyOf(backends);
    if (site != null && handlers != null) throw new IllegalArgumentException("a static site has no handlers");
  }

  /** A version without app.yaml handlers. */
  public VersionRoute(int version, int percent, List<Backend> backends, boolean hold, StaticSite site) {
    this(version, percent, backends, hold, site, null);
  }

  /** This version with app.yaml handlers (null: none). */
  public VersionRoute withHandlers(StaticHandlers newHandlers) {
    return new VersionRoute(version, percent, backends, hold, site, newHandlers);
  }

  /** A version served by its instances ({@code site} null). */
  public VersionRoute(int version, int percent, List<Backend> backends, boolean hold) {
    this(version, percent, backends, hold, null);
  }

  /** A static version: the router answers its requests from {@code site}'s files. */
  public static VersionRoute serving(int version, int percent, StaticSite site) {
    return new VersionRoute(version, percent, List.of(), false, java.util.Objects.requireNonNull(site, "site"));
  }

  /** A version whose requests are answered at once when it has no backend ({@code hold} false). */
  public VersionRoute(int version, int percent, List<Backend> backends) {
    this(version, percent, backends, false);
  }

  /** True if a request for this version waits: it is starting or asleep and has no backend. */
  public boolean waitsForBackends() {
    return hold && backends.isEmpty() && site == null;
  }
}
