package dev.pier.server;

import dev.pier.logs.LogBus;
import dev.pier.metrics.Metrics;
import dev.pier.router.AccessLog;
import dev.pier.router.AccessLogEntry;

/**
 * Where the router's finished requests go: the app's metrics (unless turned off) and its log
 * stream, as a {@code pier[router]} line. Requests that matched no app are dropped here. Runs on
 * the router's access-log thread.
 */
final class RouterAccessLog implements AccessLog {
  private final Metrics metrics;
  private final LogBus logs;
  private final boolean requestMetrics;

  RouterAccessLog(Metrics metrics, LogBus logs, boolean requestMetrics) {
    this.metrics = metrics;
    this.logs = logs;
    this.requestMetrics = requestMetrics;
  }

  @Override
  public void log(AccessLogEntry entry) {
    if (entry.app() == null) return;
    if (requestMetrics) {
      metrics.recordRequest(entry.app(), entry.version(), entry.method(), entry.path(), entry.status(),
          entry.serviceMillis(), entry.bytes());
    }
    logs.platform(entry.app(), "router", entry.format());
  }

  /** Heroku's wording for lost log lines (L10), plus what else the loss means here. */
  @Override
  public void dropped(String app, long count) {
    logs.platform(app, "router", "Error L10 (output buffer overflow): " + count
        + " router lines dropped: the platform could not keep up; those requests are missing from metrics too");
  }
}
