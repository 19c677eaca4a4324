package dev.pier.logs;

import dev.pier.drains.Drain;
import dev.pier.drains.DrainOptions;
import dev.pier.drains.DrainStats;
import dev.pier.drains.DrainUrl;
import dev.pier.model.AppName;
import dev.pier.model.LogLine;
import dev.pier.errors.PlatformException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Forwards each app's log stream to its drains. Lines reach the drains through {@link #accept},
 * a {@link LogBus} sink that only enqueues: a slow or dead drain never slows anything; what it
 * drops is reported as a platform line in the app's stream.
 */
public final class DrainService implements AutoCloseable {
  /** A drain with what it has done. */
  public record DrainView(int id, String url, java.time.Instant createdAt, DrainStats stats) {}

  private record Running(DrainStore.StoredDrain stored, Drain drain) {}

  private final DrainStore store;
  private final LogBus logs;
  private final InstantSource clock;
  private final DrainOptions options;
  private final Map<String, List<Running>> byApp = new ConcurrentHashMap<>();

  public DrainService(DrainStore store, LogBus logs, InstantSource clock, DrainOptions options) {
    this.store = store;
    this.logs = logs;
    this.clock = clock;
    this.options = options;
    for (DrainStore.StoredDrain d : store.all()) start(d);
  }

  /** The LogBus sink. Drain lines about drops are not sent back to the drain that dropped them. */
  public void accept(LogLine line) {
    List<Running> drains = byApp.get(line.app());
    if (drains == null) return;
    for (Running r : drains) r.drain().accept(line);
  }

  public List<DrainView> list(AppName app) {
    List<DrainView> views = new ArrayList<>();
    for (Running r : byApp.getOrDefault(app.value(), List.of())) {
      views.add(new DrainView(r.stored().id(), r.stored().url(), r.stored().createdAt(), r.drain().stats()));
    }
    return views;
  }

  public DrainView add(AppName app, String url, String user) {
    DrainUrl parsed;
    try {
      parsed = DrainUrl.parse(url);
    } catch (IllegalArgumentException e) {
      throw PlatformException.invalid(e.getMessage());
    }
    try {
      options.destinations().check(parsed);
    } catch (java.io.IOException e) {
      throw PlatformException.invalid(e.getMessage());
    }
    DrainStore.StoredDrain stored = store.insert(app, parsed.uri().toString(), clock.instant());
    if (stored == null) throw PlatformException.conflict("app '" + app + "' already drains to " + url);
    Running r = start(stored);
    logs.platform(app.value(), "api", "Drain " + redact(stored.url()) + " added by " + user);
    return new DrainView(stored.id(), stored.url(), stored.createdAt(), r.drain().stats());
  }

  public void remove(AppName app, int id, String user) {
    List<Running> drains = byApp.getOrDefault(app.value(), List.of());
    Running found = drains.stream().filter(r -> r.stored().id() == id).findFirst()
        .orElseThrow(() -> PlatformException.notFound("app '" + app + "' has no drain " + id));
    store.delete(app, id);
    drains.remove(found);
    found.drain().close();
    logs.platform(app.value(), "api", "Drain " + redact(found.stored().url()) + " removed by " + user);
  }

  /** Stops the app's drains (the app was destroyed; rows go with the app). */
  public void forget(AppName app) {
    List<Running> drains = byApp.remove(app.value());
    if (drains != null) drains.forEach(r -> r.drain().close());
  }

  /** The app was renamed: its drains (their rows already renamed) now forward the new name's lines. */
  public void renamed(AppName from, AppName to) {
    forget(from);
    for (DrainStore.StoredDrain d : store.all()) {
      if (d.app().equals(to.value())) start(d);
    }
  }

  private Running start(DrainStore.StoredDrain stored) {
    Drain drain = Drain.open(stored.app(), DrainUrl.parse(stored.url()), options,
        (app, url, count, reason) -> logs.platform(app, "drain",
            count + " lines dropped by drain " + url + ": " + reason)); // url comes redacted
    Running r = new Running(stored, drain);
    byApp.computeIfAbsent(stored.app(), a -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(r);
    return r;
  }

  private static String redact(String url) {
    return DrainUrl.parse(url).redacted();
  }

  @Override
  public void close() {
    byApp.values().forEach(list -> list.forEach(r -> r.drain().close()));
    byApp.clear();
  }
}
