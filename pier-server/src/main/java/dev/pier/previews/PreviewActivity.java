package dev.pier.previews;

import dev.pier.router.AccessLog;
import dev.pier.router.AccessLogEntry;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When the router last passed a request to each version of each app, seen from its access log;
 * {@link IdlePreviews#sweep} reads it to tell idle previews. Kept in memory: the sweep stores
 * what matters.
 */
public final class PreviewActivity {
  private final Map<String, Instant> last = new ConcurrentHashMap<>();
  private final InstantSource clock;

  public PreviewActivity(InstantSource clock) {
    this.clock = clock;
  }

  /** {@code log}, also recording each request's app and version here. */
  public AccessLog tee(AccessLog log) {
    return new AccessLog() {
      @Override
      public void log(AccessLogEntry entry) {
        if (entry.app() != null && entry.version() > 0) seen(entry.app(), entry.version());
        log.log(entry);
      }

      @Override
      public void dropped(String app, long count) {
        log.dropped(app, count);
      }
    };
  }

  void seen(String app, int version) {
    last.put(key(app, version), clock.instant());
  }

  /** The last request to that version, or null. */
  Instant lastRequest(String app, int version) {
    return last.get(key(app, version));
  }

  private static String key(String app, int version) {
    return app + " " + version;
  }
}
