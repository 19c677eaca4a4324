package dev.pier.router;

import io.netty.util.concurrent.EventExecutor;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests waiting for a version that is starting or asleep (the Knative activator's queue):
 * admits at most {@link HoldLimits#maxPerApp()} per app, tells each waiting request on its own
 * event loop when a new route table arrives, and passes wake-ups to the {@link Waker}.
 *
 * <p>The waiting request itself (its state, its timeout) stays with its {@link FrontendHandler};
 * this class holds only a {@link Waiting} handle per request, so a flood costs at most {@code
 * maxPerApp} handles per app.
 *
 * <p>Thread-safe: called from every event loop and, for {@link #routesChanged}, from the thread
 * that publishes tables.
 */
final class HeldRequests {
  private static final Logger LOG = LoggerFactory.getLogger(HeldRequests.class);
  /** The same app and version is woken at most once per this interval. */
  static final long WAKE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final HoldLimits limits;
  private final Waker waker;
  private final ConcurrentHashMap<String, Integer> perApp = new ConcurrentHashMap<>();
  private final Set<Waiting> waiting = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<VersionLoads.Key, Long> lastWake = new ConcurrentHashMap<>();

  HeldRequests(HoldLimits limits, Waker waker) {
    this.limits = limits;
    this.waker = waker;
  }

  /**
   * One waiting request: {@code retry} runs on {@code loop} after each newly published table.
   * Compared by identity.
   */
  static final class Waiting {
    final String app;
    private final EventExecutor loop;
    private final Runnable retry;

    Waiting(String app, EventExecutor loop, Runnable retry) {
      this.app = app;
      this.loop = loop;
      this.retry = retry;
    }
  }

  HoldLimits limits() {
    return limits;
  }

  /**
   * Registers a waiting request if its app holds fewer than {@link HoldLimits#maxPerApp()};
   * returns false (registering nothing) otherwise. A registered request must be given to {@link
   * #remove} exactly once.
   */
  boolean add(Waiting w) {
    boolean[] admitted = {false};
    perApp.compute(w.app, (app, n) -> {
      int count = n == null ? 0 : n;
      if (count >= limits.maxPerApp()) return n;
      admitted[0] = true;
      return count + 1;
    });
    if (admitted[0]) waiting.add(w);
    return admitted[0];
  }

  /** Removes a request registered by {@link #add}. */
  void remove(Waiting w) {
    if (waiting.remove(w)) perApp.computeIfPresent(w.app, (app, n) -> n <= 1 ? null : n - 1);
  }

  /** Returns how many requests of {@code app} wait now. */
  int count(String app) {
    return perApp.getOrDefault(app, 0);
  }

  /** Returns how many requests wait now, all apps together. */
  int total() {
    return waiting.size();
  }

  /** Runs every waiting request's retry on its own event loop; call after publishing a table. */
  void routesChanged() {
    for (Waiting w : waiting) {
      try {
        w.loop.execute(w.retry);
      } catch (RejectedExecutionException e) {
        // the loop is shutting down and closes its channels itself
      }
    }
    long now = System.nanoTime();
    lastWake.values().removeIf(at -> now - at > 10 * WAKE_INTERVAL_NANOS);
  }

  /** Calls the {@link Waker} for {@code version} of {@code app}, unless it did within a second. */
  void wake(String app, int version) {
    long now = System.nanoTime();
    boolean[] due = {false};
    lastWake.compute(new VersionLoads.Key(app, version), (k, at) -> {
      if (at != null && now - at < WAKE_INTERVAL_NANOS) return at;
      due[0] = true;
      return now;
    });
    if (!due[0]) return;
    try {
      waker.wake(app, version);
    } catch (RuntimeException e) {
      LOG.warn("waking {} version {} failed", app, version, e);
    }
  }
}
