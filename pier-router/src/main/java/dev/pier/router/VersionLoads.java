package dev.pier.router;

import dev.pier.model.Route;
import dev.pier.model.RouteTable;
import dev.pier.model.VersionRoute;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Load counters per app version for the autoscaler: requests in flight (held ones included),
 * requests held, requests ended, and the integral of the in-flight count over time.
 *
 * <p>Each request is counted on at most one version at a time, from the moment it is assigned or
 * held until its exchange ends ({@link Counter#end}); a request that moves (a retry on another
 * version, a held request released to another version) is moved without being counted as ended.
 *
 * <p>Thread-safe and cheap: one map lookup and one short lock on the version's counter per change.
 * Counters of versions that are in no published table and have nothing in flight are dropped when
 * a table is published ({@link #prune}), so their numbers restart at 0 should they come back.
 */
final class VersionLoads {
  private final ConcurrentHashMap<Key, Counter> counters = new ConcurrentHashMap<>();

  /** An app version. */
  record Key(String app, int version) {}

  /** Counts one request on {@code version} of {@code app}; the caller ends it on the result. */
  Counter begin(String app, int version, boolean held) {
    return begin(null, app, version, held);
  }

  /**
   * As {@link #begin(String, int, boolean)}, trying {@code hint} first (the counter the
   * connection's previous request used): when it is the same version's live counter, the request
   * is counted with no map lookup and no allocation, and event loops do not meet on the map's lock.
   */
  Counter begin(Counter hint, String app, int version, boolean held) {
    long now = System.nanoTime();
    if (hint != null && hint.key.version() == version && hint.key.app().equals(app) && hint.begin(now, held)) {
      return hint;
    }
    Key key = new Key(app, version);
    while (true) {
      Counter c = counters.get(key);
      if (c == null) c = counters.computeIfAbsent(key, k -> new Counter(k, now));
      if (c.begin(now, held)) return c;
      counters.remove(key, c); // retired by prune meanwhile
    }
  }

  /** Returns every version's numbers as of {@code now} ({@link System#nanoTime()}). */
  List<VersionLoad> snapshot(long now) {
    List<VersionLoad> all = new ArrayList<>(counters.size());
    for (Counter c : counters.values()) all.add(c.snapshot(now));
    return all;
  }

  /** Drops the counters of versions missing from {@code table} that have nothing in flight. */
  void prune(RouteTable table) {
    Set<Key> listed = new HashSet<>();
    for (Route route : table.byHost().values()) {
      for (VersionRoute v : route.versions()) listed.add(new Key(route.app(), v.version()));
    }
    for (Key key : counters.keySet()) {
      if (!listed.contains(key)) counters.computeIfPresent(key, (k, c) -> c.retireIfIdle() ? null : c);
    }
  }

  /** One version's counters, guarded by its own lock. */
  static final class Counter {
    private final Key key;
    private int inFlight;
    private int held;
    private long completed;
    private long lastChangeNanos;
    private long integralMicros;
    /** Request-nanoseconds not yet carried into {@link #integralMicros}, below 1000. */
    private long integralNanos;
    /** Removed from the map: connections holding it as a hint must not count here. */
    private boolean retired;

    private Counter(Key key, long now) {
      this.key = key;
      this.lastChangeNanos = now;
    }

    Key key() {
      return key;
    }

    /** Counts a request here; false if this counter was retired (the caller takes a new one). */
    private synchronized boolean begin(long now, boolean isHeld) {
      if (retired) return false;
      advance(now);
      inFlight++;
      if (isHeld) held++;
      return true;
    }

    /** Records that a held request counted here is no longer held (it now goes to an instance). */
    synchronized void released() {
      held--;
    }

    /**
     * Stops counting one request here.
     *
     * @param wasHeld the request was still held
     * @param completed the request's exchange ended (false when it moves to another version)
     */
    synchronized void end(boolean wasHeld, boolean completed) {
      advance(System.nanoTime());
      inFlight--;
      if (wasHeld) held--;
      if (completed) this.completed++;
    }

    /** Retires this counter if nothing is in flight: no request is counted here afterwards. */
    private synchronized boolean retireIfIdle() {
      if (inFlight == 0) retired = true;
      return retired;
    }

    private synchronized VersionLoad snapshot(long now) {
      advance(now);
      return new VersionLoad(key.app(), key.version(), inFlight, held, completed, integralMicros);
    }

    private void advance(long now) {
      long elapsed = now - lastChangeNanos;
      if (elapsed <= 0) return; // another thread's earlier clock reading: keep time monotonic
      lastChangeNanos = now;
      long nanos = integralNanos + inFlight * elapsed;
      integralMicros += nanos / 1000;
      integralNanos = nanos % 1000;
    }
  }
}
