package dev.pier.router;

import dev.pier.model.Backend;
import dev.pier.model.VersionRoute;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToIntFunction;

/**
 * Sends each request to the instance of its version with the fewest requests in flight (the
 * router's own count, {@link InFlight}), so a slow or stuck instance gets fewer new requests
 * while it works through the ones it has. Ties go to a random one of the tied instances, so idle
 * instances share the load evenly.
 *
 * <p>Versions of up to {@value #FULL_SCAN_MAX} instances are scanned whole; larger ones use the
 * power of two choices (the less busy of two instances drawn at random), which keeps a pick O(1)
 * and, with a router's stale-free counts, close to the full scan. Allocates nothing; thread-safe.
 */
public final class LeastInFlight implements LoadBalancer {
  /** Up to this many instances, every one is compared. */
  static final int FULL_SCAN_MAX = 8;

  @Override
  public Backend pick(String app, VersionRoute version, Backend exclude) {
    return pick(app, version, exclude, b -> 0); // without counts: a random instance
  }

  @Override
  public Backend pick(String app, VersionRoute version, Backend exclude, ToIntFunction<Backend> inFlight) {
    List<Backend> backends = version.backends();
    int size = backends.size();
    if (size == 0) return null;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (size <= FULL_SCAN_MAX) return scan(backends, exclude, inFlight, random);
    int ia = random.nextInt(size);
    int j = random.nextInt(size - 1);
    Backend a = backends.get(ia);
    Backend b = backends.get(j >= ia ? j + 1 : j);
    if (a.equals(exclude)) return b;
    if (b.equals(exclude)) return a;
    int ca = inFlight.applyAsInt(a);
    int cb = inFlight.applyAsInt(b);
    if (ca != cb) return ca < cb ? a : b;
    return random.nextBoolean() ? a : b;
  }

  /** The least busy of all, starting at a random place so ties spread. */
  private static Backend scan(List<Backend> backends, Backend exclude, ToIntFunction<Backend> inFlight,
      ThreadLocalRandom random) {
    int size = backends.size();
    int start = size == 1 ? 0 : random.nextInt(size);
    Backend best = null;
    int bestCount = Integer.MAX_VALUE;
    for (int i = 0; i < size; i++) {
      Backend candidate = backends.get((start + i) % size);
      if (candidate.equals(exclude)) continue;
      int count = inFlight.applyAsInt(candidate);
      if (count < bestCount) {
        best = candidate;
        bestCount = count;
        if (count == 0) break; // none is less busy than idle
      }
    }
    return best;
  }
}
