package dev.pier.server;

import dev.pier.logs.LogBus;
import dev.pier.logstore.LogStore;
import dev.pier.logstore.NotStoredListener;

/**
 * Tells an app, in its log stream, that lines of it could not be stored (the log store's disk is
 * full, or failing), Heroku style: {@code pier[logstore]: Error L11 (disk full): 812 lines not
 * stored: No space left on device}. Live tails, drains and the in-memory recent lines still got
 * those lines; searches and the stored history will miss them.
 */
final class LogStoreReports implements NotStoredListener {
  private final LogBus logs;

  LogStoreReports(LogBus logs) {
    this.logs = logs;
  }

  @Override
  public void linesNotStored(String app, long count, String reason) {
    logs.platform(app, LogStore.REPORT_PROCESS,
        "Error L11 (" + title(reason) + "): " + count + " lines not stored: " + reason);
  }

  private static String title(String reason) {
    return reason.contains("No space left on device") || reason.contains("Disk quota exceeded")
        ? "disk full" : "log storage failed";
  }
}
