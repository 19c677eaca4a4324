package dev.pier.router;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands {@link AccessLogEntry entries} from the event loops to the control plane's {@link
 * AccessLog} on one dedicated thread, so a slow, blocking or stuck access log can never stall an
 * event loop (and with it every connection on that loop).
 *
 * <p>Event loops only {@link #log offer} an entry to a bounded queue: that never blocks. When the
 * queue is full (the access log stopped keeping up, or hangs) the entry is dropped and counted
 * ({@link #dropped()}, and per app); the first drop logs a warning with the stack of the access
 * log thread, which names the code that holds it up. Once the thread gets going again it tells the
 * access log how many entries of each app were dropped ({@link AccessLog#dropped}), at most once
 * per {@link #REPORT_INTERVAL_NANOS} per app. Entries reach the access log one at a time, in the
 * order they were offered. Offering never wakes the thread: it takes what queued in batches, and
 * when it finds the queue empty it pauses (1 ms, doubling up to 50 ms while nothing comes), so
 * under load a request costs the event loop no futex call and the thread no wake-up of its own.
 *
 * <p>Lifecycle: {@link #start()}, then {@link #close()}, which delivers what is queued (waiting at
 * most {@code drainTimeout}) and stops the thread; entries offered after close are dropped. The
 * thread is a daemon, so an access log stuck forever does not keep the JVM alive.
 *
 * <p>Thread safety: {@link #log} may be called from any thread; {@link #start} and {@link
 * #close} by the owner.
 */
final class AccessLogQueue implements AccessLog, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AccessLogQueue.class);
  /** How many entries may wait for the access log; about 200 bytes each plus their strings. */
  static final int DEFAULT_CAPACITY = 16_384;
  /** Drops are reported at most this often, so a long overload gives a line a second, not one per entry. */
  static final long REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** Entries taken off the queue at once. */
  private static final int BATCH = 512;
  /** The access log thread's pause after finding the queue empty, doubling up to the maximum. */
  private static final long MIN_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final AccessLog sink;
  private final ArrayBlockingQueue<AccessLogEntry> queue;
  private final long drainNanos;
  private final AtomicLong dropped = new AtomicLong();
  /** Drops not yet reported to the access log, by app (entries stay, one per app that dropped). */
  private final Map<String, LongAdder> unreported = new ConcurrentHashMap<>();
  private long lastReportNanos = System.nanoTime() - REPORT_INTERVAL_NANOS;
  private final Thread thread;
  private volatile boolean closed;

  /**
   * @param sink the control plane's access log, called only on this queue's thread
   * @param capacity how many entries may wait; more are dropped
   * @param drainTimeout how long {@link #close()} waits for queued entries to be delivered
   */
  AccessLogQueue(AccessLog sink, int capacity, Duration drainTimeout) {
    if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.drainNanos = drainTimeout.toNanos();
    this.thread = Thread.ofPlatform().name("pier-router-access-log").daemon().unstarted(this::run);
  }

  /** Starts the thread that calls the access log; a no-op if already started. */
  synchronized void start() {
    if (thread.getState() == Thread.State.NEW) thread.start();
  }

  /** Queues {@code entry} for the access log without blocking; drops it when the queue is full. */
  @Override
  public void log(AccessLogEntry entry) {
    if (closed || !queue.offer(entry)) drop(entry.app());
  }

  /** Returns how many entries were dropped because the queue was full or closed. */
  long dropped() {
    return dropped.get();
  }

  private void drop(String app) {
    long n = dropped.incrementAndGet();
    if (closed) return;
    if (app != null) unreported.computeIfAbsent(app, a -> new LongAdder()).increment();
    if (n == 1) {
      Throwable where = new Throwable("access log thread stack");
      where.setStackTrace(thread.getStackTrace());
      LOG.warn("the access log is not keeping up (or is stuck); dropping entries. It must not "
          + "block: see the stack of the thread calling it", where);
    } else if (Long.bitCount(n) == 1) {
      LOG.warn("{} access log entries dropped so far: the access log is not keeping up", n);
    }
  }

  private void run() {
    java.util.ArrayList<AccessLogEntry> batch = new java.util.ArrayList<>(BATCH);
    long pauseNanos = MIN_PAUSE_NANOS;
    while (true) {
      queue.drainTo(batch, BATCH);
      if (batch.isEmpty()) {
        reportDrops();
        if (closed) return;
        // Nobody waits on the queue, so an event loop's offer never wakes this thread (a futex
        // call and a context switch per request): it looks again after a pause that grows while
        // the queue stays empty.
        LockSupport.parkNanos(this, pauseNanos);
        if (Thread.interrupted()) return; // close gave up waiting for the access log
        pauseNanos = Math.min(MAX_PAUSE_NANOS, pauseNanos * 2);
        continue;
      }
      pauseNanos = MIN_PAUSE_NANOS;
      for (AccessLogEntry entry : batch) {
        if (Thread.currentThread().isInterrupted()) return; // close gave up: the rest is dropped
        try {
          sink.log(entry);
        } catch (RuntimeException e) {
          LOG.warn("access log failed", e);
        }
      }
      batch.clear();
      if (!unreported.isEmpty()) reportDrops();
    }
  }

  /** Hands the per-app drop counts to the access log, at most once per report interval. */
  private void reportDrops() {
    if (unreported.isEmpty()) return;
    long now = System.nanoTime();
    if (now - lastReportNanos < REPORT_INTERVAL_NANOS) return;
    lastReportNanos = now;
    for (Map.Entry<String, LongAdder> e : unreported.entrySet()) {
      long count = e.getValue().sumThenReset();
      if (count == 0) continue; // adders stay: one per app that ever dropped, and no lost increments
      try {
        sink.dropped(e.getKey(), count);
      } catch (RuntimeException ex) {
        LOG.warn("access log failed to take a drop report", ex);
      }
    }
  }

  /** Delivers the queued entries (waiting at most the drain timeout), then stops the thread. */
  @Override
  public void close() {
    closed = true;
    if (!thread.isAlive()) return;
    LockSupport.unpark(thread); // not parked for up to a pause more
    try {
      thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(drainNanos)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("access log did not take {} queued entries within {} ms; dropping them",
          queue.size(), TimeUnit.NANOSECONDS.toMillis(drainNanos));
      thread.interrupt();
    }
  }
}
