package dev.pier.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Where requests for one host go: the app, how traffic is split, and its versions with their
 * shares and ready web instances. The router first picks a version by the split (only versions
 * with a share above 0 take part), then an instance of that version. While {@code maintenance} is
 * not null the app is in maintenance mode: the router answers every request itself with its page.
 * {@code limits} are the app's own router limits (timeouts, largest body); never null. {@code
 * https} are its HTTPS features (redirect to HTTPS, HSTS); never null.
 */
public record Route(String app, SplitBy splitBy, List<VersionRoute> versions, Maintenance maintenance,
    RouteLimits limits, RouteHttps https) {
  public Route {
    versions = List.copyOf(versions);
    if (limits == null) limits = RouteLimits.DEFAULT;
    if (https == null) https = RouteHttps.DEFAULT;
  }

  /** A route with the router's default HTTPS handling ({@link RouteHttps#DEFAULT}). */
  public Route(String app, SplitBy splitBy, List<VersionRoute> versions, Maintenance maintenance,
      RouteLimits limits) {
    this(app, splitBy, versions, maintenance, limits, RouteHttps.DEFAULT);
  }

  /** Returns a copy with the app's HTTPS features. */
  public Route withHttps(RouteHttps https) {
    return new Route(app, splitBy, versions, maintenance, limits, https);
  }

  /** A route with the router's default limits ({@link RouteLimits#DEFAULT}). */
  public Route(String app, SplitBy splitBy, List<VersionRoute> versions, Maintenance maintenance) {
    this(app, splitBy, versions, maintenance, RouteLimits.DEFAULT);
  }

  /** Returns a copy with the app's own router limits. */
  public Route withLimits(RouteLimits limits) {
    return new Route(app, splitBy, versions, maintenance, limits, https);
  }

  /** A route of an app not in maintenance mode. */
  public Route(String app, SplitBy splitBy, List<VersionRoute> versions) {
    this(app, splitBy, versions, null);
  }

  /** A route with one version (number 0) taking all traffic. */
  public Route(String app, List<Backend> backends) {
    this(app, SplitBy.RANDOM, List.of(new VersionRoute(0, 100, backends)));
  }

  /** Every backend of every version that has a share of the traffic. */
  public List<Backend> backends() {
    List<Backend> all = new ArrayList<>();
    for (VersionRoute v : versions) {
      if (v.percent() > 0) all.addAll(v.backends());
    }
    return all;
  }
}
