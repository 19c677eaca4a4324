package dev.pier.previews;

import dev.pier.app.App;
import dev.pier.errors.PlatformException;
import dev.pier.logs.LogBus;
import dev.pier.model.AppName;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Puts previews that had no request for their app's idle limit to sleep (their web instance
 * stops; {@link PreviewService#webCounts} gives them none) and wakes one when the router holds a
 * request for it, as a version autoscaled to zero is woken.
 */
public final class IdlePreviews implements AutoCloseable {
  /** Idle limit of an app that set none. */
  public static final Duration DEFAULT = Duration.ofDays(7);

  public static final Duration MIN = Duration.ofSeconds(10);

  public static final Duration MAX = Duration.ofDays(365);

  private final PreviewStore store;
  private final PreviewActivity activity;
  private final Consumer<String> signal;
  private final LogBus logs;
  private final InstantSource clock;
  private ScheduledExecutorService sweeper;

  /** @param signal tells the reconciler an app's desired state changed */
  public IdlePreviews(PreviewStore store, PreviewActivity activity, Consumer<String> signal, LogBus logs,
      InstantSource clock) {
    this.store = store;
    this.activity = activity;
    this.signal = signal;
    this.logs = logs;
    this.clock = clock;
  }

  /** Checks idle previews every {@code every} from now on (until {@link #close}). */
  public IdlePreviews start(Duration every) {
    refresh();
    sweeper = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("pier-previews").unstarted(r));
    sweeper.scheduleWithFixedDelay(() -> {
      try {
        sweep();
      } catch (RuntimeException e) {
        LoggerFactory.getLogger(IdlePreviews.class).warn("preview idle check failed", e);
      }
    }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  @Override
  public void close() {
    if (sweeper != null) sweeper.shutdownNow();
  }

  public Duration limit(App app) {
    return store.idleLimit(app.name()).orElse(DEFAULT);
  }

  /** Sets how long the app's previews may go without a request before they stop. */
  public void setLimit(App app, Duration limit, String user) {
    if (limit.compareTo(MIN) < 0 || limit.compareTo(MAX) > 0) {
      throw PlatformException.invalid("the idle limit of previews must be from " + MIN.toSeconds()
          + " seconds to " + MAX.toDays() + " days");
    }
    store.setIdleLimit(app.name(), limit);
    logs.platform(app.name().value(), "api", "Previews now stop after " + limit.toSeconds()
        + " s without a request (set by " + user + ")");
  }

  /**
   * A request waits for {@code version} of {@code app}: if that is an asleep preview it starts
   * again. Never blocks (the router calls it on an event loop).
   */
  public void wake(String app, int version) {
    Thread.ofVirtual().start(() -> {
      try {
        AppName name = new AppName(app);
        for (Preview p : store.list(name)) {
          if (p.version() != version || !p.asleep()) continue;
          activity.seen(app, version);
          store.touch(name, p.branch(), clock.instant());
          if (store.setAsleep(name, p.branch(), version, false)) {
            logs.platform(app, "api", "Preview " + p.branch() + " woken by a request");
            signal.accept(app);
          }
        }
      } catch (RuntimeException e) {
        LoggerFactory.getLogger(IdlePreviews.class).warn("waking a preview of {} failed", app, e);
      }
    });
  }

  /**
   * Stores when each awake preview last had a request, and puts to sleep those idle for longer than
   * their app's limit (their instance stops; the next request wakes them).
   */
  public void sweep() {
    Instant now = clock.instant();
    Map<String, Duration> limits = new HashMap<>();
    Set<String> changed = new HashSet<>();
    List<Preview> all = store.all();
    activity.watch(all); // previews removed, or of apps destroyed, since: forgotten
    for (Preview p : all) {
      if (p.asleep()) continue;
      AppName name = new AppName(p.app());
      Instant seen = activity.lastRequest(p.app(), p.version());
      if (seen != null && (p.lastRequest() == null || seen.isAfter(p.lastRequest()))) {
        store.touch(name, p.branch(), seen);
      }
      Instant active = seen != null && seen.isAfter(p.lastActive()) ? seen : p.lastActive();
      Duration limit = limits.computeIfAbsent(p.app(), a -> store.idleLimit(name).orElse(DEFAULT));
      if (Duration.between(active, now).compareTo(limit) >= 0 && store.setAsleep(name, p.branch(), p.version(), true)) {
        logs.platform(p.app(), "api", "Preview " + p.branch() + " stopped: no request for "
            + limit.toSeconds() + " s; the next request starts it again");
        changed.add(p.app());
      }
    }
    changed.forEach(signal);
  }

  /** The router's requests are recorded for the previews stored now, and for no other version. */
  void refresh() {
    activity.watch(store.all());
  }

  /** Requests to {@code p} (just deployed) are recorded from now on. */
  void watch(Preview p) {
    activity.watch(p);
  }

  /** The preview's last request: seen by the router since the last check, else as stored. */
  Instant lastRequest(Preview p) {
    Instant seen = activity.lastRequest(p.app(), p.version());
    if (seen == null) return p.lastRequest();
    return p.lastRequest() == null || seen.isAfter(p.lastRequest()) ? seen : p.lastRequest();
  }
}
