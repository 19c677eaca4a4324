package dev.pier.previews;

import dev.pier.router.AccessLog;
import dev.pier.router.AccessLogEntry;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When the router last passed a request to each preview version, seen from its access log;
 * {@link IdlePreviews#sweep} reads it to tell idle previews. Kept in memory: the sweep stores
 * what matters. Requests to other versions cost one map lookup and are not recorded; what is
 * recorded of a version that serves no preview any more is dropped at the next {@link #watch}.
 */
public final class PreviewActivity {
  private record Key(String app, int version) {}

  private final Map<Key, Instant> last = new ConcurrentHashMap<>();
  /** App -> the versions its previews serve: replaced whole, read without a lock. */
  private volatile Map<String, Set<Integer>> watched = Map.of();
  private final InstantSource clock;

  public PreviewActivity(InstantSource clock) {
    this.clock = clock;
  }

  /** {@code log}, also recording when each preview version had a request here. */
  public AccessLog tee(AccessLog log) {
    return new AccessLog() {
      @Override
      public void log(AccessLogEntry entry) {
        if (entry.app() != null && entry.version() > 0) {
          Set<Integer> versions = watched.get(entry.app());
          if (versions != null && versions.contains(entry.version())) seen(entry.app(), entry.version());
        }
        log.log(entry);
      }

      @Override
      public void dropped(String app, long count) {
        log.dropped(app, count);
      }
    };
  }

  /** Watches exactly the versions {@code previews} serve from now on, forgetting any other. */
  synchronized void watch(Collection<Preview> previews) {
    Map<String, Set<Integer>> next = new HashMap<>();
    for (Preview p : previews) next.computeIfAbsent(p.app(), a -> new HashSet<>()).add(p.version());
    next.replaceAll((app, versions) -> Set.copyOf(versions));
    watched = Map.copyOf(next);
    last.keySet().removeIf(k -> !next.getOrDefault(k.app(), Set.of()).contains(k.version()));
  }

  /** Watches {@code p}'s version too (a preview just deployed). */
  synchronized void watch(Preview p) {
    Map<String, Set<Integer>> next = new HashMap<>(watched);
    Set<Integer> versions = new HashSet<>(next.getOrDefault(p.app(), Set.of()));
    versions.add(p.version());
    next.put(p.app(), Set.copyOf(versions));
    watched = Map.copyOf(next);
  }

  void seen(String app, int version) {
    last.put(new Key(app, version), clock.instant());
  }

  /** The last request to that version, or null. */
  Instant lastRequest(String app, int version) {
    return last.get(new Key(app, version));
  }

  /** How many versions have a request recorded (for tests). */
  int recorded() {
    return last.size();
  }
}
