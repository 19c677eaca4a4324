package dev.pier.model;

import java.util.List;

/**
 * One version of an app as the router sees it: its share of the app's traffic in whole percent
 * (0 for a version reachable only at its own URL) and its ready web instances.
 */
public record VersionRoute(int version, int percent, List<Backend> backends) {
  public VersionRoute {
    if (percent < 0 || percent > 100) throw new IllegalArgumentException("percent out of range: " + percent);
    backends = List.copyOf(backends);
  }
}
