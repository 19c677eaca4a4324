package dev.pier.router;

import dev.pier.model.Route;
import dev.pier.model.VersionRoute;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Maps a split bucket to one of a route's versions, as App Engine's traffic splitting does.
 *
 * <p>Only versions with a share ({@code percent > 0}) take part, ordered by version number. Each
 * owns a run of {@link #BUCKETS} buckets as long as its share times 100: with v1 at 90 % and v2 at
 * 10 %, buckets 0..8999 go to v1 and 9000..9999 to v2. So a client that keeps its bucket (a cookie
 * or its address) stays on one version while the allocation is unchanged. Shares that do not add
 * up to 100 are scaled to fill all buckets.
 *
 * <p>Pure functions of their arguments; thread-safe.
 */
final class VersionPicker {
  /** Buckets are integers in {@code [0, BUCKETS)}. */
  static final int BUCKETS = 10_000;

  private VersionPicker() {}

  /**
   * Returns the version for {@code bucket}: the one whose share holds it if that version has
   * backends and is not {@code excluded}; otherwise one of the other versions with a share and
   * backends, weighted by their shares (the bucket's place within the unusable version's range
   * decides, so its clients spread evenly and each keeps its fallback). Returns null if no
   * version with a share has backends.
   *
   * @param excluded version numbers not to return (a version that already failed the request)
   */
  static VersionRoute pick(Route route, int bucket, IntPredicate excluded) {
    checkBucket(bucket);
    List<VersionRoute> shared = shared(route);
    long total = total(shared);
    if (total == 0) return null;
    long target = bucket * total / BUCKETS; // == bucket when the shares add up to 100 %
    long start = 0;
    for (VersionRoute v : shared) {
      long width = v.percent() * 100L;
      if (target < start + width) {
        if (usable(v, excluded)) return v;
        // Spread this version's clients over the others: its own range, stretched to all buckets.
        int inner = (int) ((target - start) * BUCKETS / width);
        return fallback(shared, v, inner, excluded);
      }
      start += width;
    }
    throw new AssertionError("target " + target + " beyond total " + total);
  }

  private static VersionRoute fallback(
      List<VersionRoute> shared, VersionRoute failed, int bucket, IntPredicate excluded) {
    List<VersionRoute> others = new ArrayList<>(shared.size());
    for (VersionRoute v : shared) {
      if (v != failed && usable(v, excluded)) others.add(v);
    }
    return byShare(others, bucket);
  }

  /**
   * Returns the version a request with {@code bucket} waits for when no version with a share has
   * backends: the bucket's own version if it is starting or asleep ({@link
   * VersionRoute#waitsForBackends()}), else one of the waiting versions by their shares; null if
   * no version with a share waits (the request is then answered at once).
   */
  static VersionRoute holdFor(Route route, int bucket) {
    checkBucket(bucket);
    List<VersionRoute> shared = shared(route);
    VersionRoute own = byShare(shared, bucket);
    if (own == null || own.waitsForBackends()) return own;
    List<VersionRoute> waiting = new ArrayList<>(shared.size());
    for (VersionRoute v : shared) {
      if (v.waitsForBackends()) waiting.add(v);
    }
    return byShare(waiting, bucket);
  }

  /** Returns the version whose share holds {@code bucket}, with or without backends; or null. */
  static VersionRoute byShare(Route route, int bucket) {
    checkBucket(bucket);
    return byShare(shared(route), bucket);
  }

  /**
   * The static version (served from files) the request's bucket picks, or null when the bucket
   * picks a version with instances. Allocates nothing for routes without a static version, the
   * common case on every proxied request.
   */
  static VersionRoute staticByShare(Route route, int bucket) {
    boolean anySite = false;
    for (VersionRoute v : route.versions()) {
      if ((v.site() != null || v.handlers() != null) && v.percent() > 0) {
        anySite = true;
        break;
      }
    }
    if (!anySite) return null;
    VersionRoute own = byShare(route, bucket);
    return own != null && (own.site() != null || own.handlers() != null) ? own : null;
  }

  /** Returns the versions with a share, by version number ascending. */
  static List<VersionRoute> shared(Route route) {
    List<VersionRoute> shared = new ArrayList<>(route.versions().size());
    for (VersionRoute v : route.versions()) {
      if (v.percent() > 0) shared.add(v);
    }
    shared.sort(Comparator.comparingInt(VersionRoute::version));
    return shared;
  }

  private static VersionRoute byShare(List<VersionRoute> versions, int bucket) {
    long total = total(versions);
    if (total == 0) return null;
    long target = bucket * total / BUCKETS;
    long end = 0;
    for (VersionRoute v : versions) {
      end += v.percent() * 100L;
      if (target < end) return v;
    }
    return versions.getLast(); // unreachable: target < total
  }

  private static long total(List<VersionRoute> versions) {
    long total = 0;
    for (VersionRoute v : versions) total += v.percent() * 100L;
    return total;
  }

  private static boolean usable(VersionRoute v, IntPredicate excluded) {
    return !v.backends().isEmpty() && !excluded.test(v.version());
  }

  private static void checkBucket(int bucket) {
    if (bucket < 0 || bucket >= BUCKETS) throw new IllegalArgumentException("bucket " + bucket);
  }
}
