package dev.pier.drains;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts a drain's dropped lines by reason and hands them to the {@link DropReporter} in
 * aggregate, at most once per second per reason.
 *
 * <p>{@link #drop} may be called from any thread; {@link #reportIfDue} and {@link #reportNow}
 * only from the drain thread, so the reporter is never called from a thread that called
 * {@code accept}.
 */
final class DropCounter {
  private static final Logger log = LoggerFactory.getLogger(DropCounter.class);
  private static final long REPORT_INTERVAL_NANOS = 1_000_000_000L;

  /** Why lines were dropped; the words go into the platform log line. */
  enum Reason {
    QUEUE_FULL("queue full"),
    DELIVERY_FAILED("delivery failed"),
    CLOSED("drain closed before delivery");

    final String words;

    Reason(String words) {
      this.words = words;
    }
  }

  private final String app;
  private final String url;
  private final DropReporter reporter;
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong[] pending = new AtomicLong[Reason.values().length];
  private long lastReportNanos;

  DropCounter(String app, String url, DropReporter reporter) {
    this.app = app;
    this.url = url;
    this.reporter = reporter;
    for (int i = 0; i < pending.length; i++) pending[i] = new AtomicLong();
    // The first report waits a second too, by which time the first delivery attempt has told
    // whether the destination is down, so the report can say why.
    this.lastReportNanos = System.nanoTime();
  }

  void drop(long count, Reason reason) {
    if (count <= 0) return;
    pending[reason.ordinal()].addAndGet(count);
    total.addAndGet(count);
  }

  long total() {
    return total.get();
  }

  /**
   * Reports pending drops if a second has passed since the last report.
   *
   * @param detail why the destination is failing, appended to each reason (null for none)
   */
  void reportIfDue(Supplier<String> detail) {
    if (System.nanoTime() - lastReportNanos >= REPORT_INTERVAL_NANOS) reportNow(detail);
  }

  /** Reports all pending drops now. */
  void reportNow(Supplier<String> detail) {
    lastReportNanos = System.nanoTime();
    for (Reason reason : Reason.values()) {
      long count = pending[reason.ordinal()].getAndSet(0);
      if (count == 0) continue;
      String extra = reason == Reason.CLOSED ? null : detail.get();
      String words = extra == null ? reason.words : reason.words + " (" + extra + ")";
      try {
        reporter.dropped(app, url, count, words);
      } catch (RuntimeException e) {
        log.warn("drop reporter failed for drain {} of app {}", url, app, e);
      }
    }
  }
}
