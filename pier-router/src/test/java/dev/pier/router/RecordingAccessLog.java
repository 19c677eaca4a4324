package dev.pier.router;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Collects access log entries so tests can wait for them. */
final class RecordingAccessLog implements AccessLog {
  private final LinkedBlockingQueue<AccessLogEntry> entries = new LinkedBlockingQueue<>();

  @Override
  public void log(AccessLogEntry entry) {
    entries.add(entry);
  }

  /** Returns the next entry, waiting up to 5 s; fails if none comes. */
  AccessLogEntry next() throws InterruptedException {
    AccessLogEntry entry = entries.poll(5, TimeUnit.SECONDS);
    if (entry == null) throw new AssertionError("no access log entry within 5 s");
    return entry;
  }

  int size() {
    return entries.size();
  }
}
