package dev.pier.metrics;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The routes of one app, New Relic style: requests grouped by method and normalized route. At most
 * {@code maxRoutes} routes are tracked; requests of any further route are counted under {@value
 * #OTHER_ROUTE} so that a client requesting random paths cannot grow memory. Routes idle for a
 * whole hour are dropped, which frees their place.
 */
final class Transactions {
  static final String OTHER_ROUTE = "(other)";
  static final String OTHER_METHOD = "*";
  static final Duration BUCKET = Duration.ofMinutes(10);
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");

  private final int maxRoutes;
  private final InstantSource clock;
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, RouteStats>> byMethod =
      new ConcurrentHashMap<>();
  private final AtomicInteger routes = new AtomicInteger();
  private final RouteStats other = new RouteStats(OTHER_METHOD, OTHER_ROUTE);
  private final Instant[] bucketStarts = new Instant[RouteStats.BUCKETS];
  private int currentBucket;

  Transactions(int maxRoutes, InstantSource clock, Instant now) {
    this.maxRoutes = maxRoutes;
    this.clock = clock;
    bucketStarts[0] = now;
  }

  void record(String method, String path, int status, long ms) {
    String m = METHODS.contains(method) ? method : "OTHER";
    String route = RouteNormalizer.normalize(path);
    ConcurrentHashMap<String, RouteStats> routesOfMethod = byMethod.get(m);
    if (routesOfMethod == null) {
      routesOfMethod = byMethod.computeIfAbsent(m, k -> new ConcurrentHashMap<>());
    }
    RouteStats stats = routesOfMethod.get(route);
    if (stats == null) stats = routesOfMethod.computeIfAbsent(route, r -> newRoute(m, r));
    if (stats == null) stats = other;
    stats.record(path, status, ms, clock);
  }

  /** Returns null (no mapping) when the cap is reached. */
  private RouteStats newRoute(String method, String route) {
    if (routes.incrementAndGet() > maxRoutes) {
      routes.decrementAndGet();
      return null;
    }
    return new RouteStats(method, route);
  }

  /** Rotates the buckets every 10 minutes and forgets routes idle for the whole retained span. */
  synchronized void tick(Instant now) {
    if (Duration.between(bucketStarts[currentBucket], now).compareTo(BUCKET) < 0) return;
    currentBucket = (currentBucket + 1) % RouteStats.BUCKETS;
    bucketStarts[currentBucket] = now;
    other.rotate();
    for (ConcurrentHashMap<String, RouteStats> routesOfMethod : byMethod.values()) {
      routesOfMethod.values().removeIf(stats -> {
        boolean idle = stats.rotate();
        if (idle) routes.decrementAndGet();
        return idle;
      });
    }
  }

  /** All tracked routes, the most time-consuming (count x mean) first. */
  List<Transaction> list(Instant now) {
    double minutes;
    synchronized (this) {
      Instant oldest = bucketStarts[(currentBucket + 1) % RouteStats.BUCKETS];
      if (oldest == null) oldest = bucketStarts[0];
      minutes = Duration.between(oldest, now).toMillis() / 60_000.0;
    }
    List<Transaction> list = new ArrayList<>();
    for (ConcurrentHashMap<String, RouteStats> routesOfMethod : byMethod.values()) {
      for (RouteStats stats : routesOfMethod.values()) {
        Transaction t = stats.toTransaction(minutes);
        if (t.count() > 0) list.add(t);
      }
    }
    Transaction overflow = other.toTransaction(minutes);
    if (overflow.count() > 0) list.add(overflow);
    list.sort(
        Comparator.comparingDouble((Transaction t) -> t.count() * t.meanMs())
            .reversed()
            .thenComparing(Transaction::route)
            .thenComparing(Transaction::method));
    return list;
  }
}
