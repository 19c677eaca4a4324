package dev.pier.drains;

import dev.pier.model.LogLine;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards one app's lines to one drain URL: a bounded queue in front of one daemon thread that
 * does all the I/O.
 *
 * <pre>
 *  accept(line) ──offer──▶ [ queue: queueCapacity lines ] ──▶ drain thread ──▶ syslog+tcp / http(s)
 *       │ full                                                   │ fails: backoff, retry
 *       ▼                                                        ▼ (HTTP: 3 attempts, then drop)
 *   dropped++  ────────────── DropReporter, ≤ 1/s per reason ◀───┘
 * </pre>
 *
 * <p>{@link #accept} only offers to the queue, so a slow, stalled or dead destination never slows
 * the caller: when the queue is full the line is dropped and counted. The thread batches what is
 * queued (syslog: up to {@value SyslogTcpTransport#WRITE_BATCH} lines per write; HTTP: up to
 * {@code httpBatchSize} lines or {@code httpBatchMaxDelay}, whichever comes first) and delivers
 * the batches in order. Syslog keeps retrying a batch, reconnecting with exponential backoff
 * (100 ms doubling up to {@code retryBackoffMax}), while new lines queue and then drop; a batch cut
 * off by a broken connection is sent again whole, so a receiver may see a few lines twice. HTTP
 * drops a batch after {@value HttpTransport#MAX_ATTEMPTS} failed attempts.
 *
 * <p>{@link #close} stops accepting, gives a working destination up to one second to take what is
 * queued, then interrupts the thread and waits at most one more second. Lines still queued are
 * counted as dropped and reported, so after close {@code sent + dropped} equals the lines
 * accepted. Thread-safe.
 */
public final class Drain implements LogSink {
  private static final Logger log = LoggerFactory.getLogger(Drain.class);
  static final Duration CLOSE_GRACE = Duration.ofSeconds(1);
  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  private static final long BACKOFF_START_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final String app;
  private final DrainUrl url;
  private final DrainOptions options;
  private final BlockingQueue<LogLine> queue;
  private final Transport transport;
  private final DropCounter drops;
  private final Thread thread;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile String lastError;
  private volatile boolean connected;
  private volatile boolean closed;
  private boolean down; // drain thread only: whether "down" has been logged

  private Drain(String app, DrainUrl url, DrainOptions options, DropReporter reporter) {
    this.app = app;
    this.url = url;
    this.options = options;
    this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
    this.transport = url.isHttp()
        ? new HttpTransport(app, url, options)
        : new SyslogTcpTransport(url, options);
    this.drops = new DropCounter(app, url.redacted(), reporter);
    this.thread = Thread.ofPlatform().daemon()
        .name("drain " + app + " " + url.host() + ":" + url.port())
        .unstarted(this::run);
  }

  /**
   * Starts forwarding {@code app}'s lines to {@code url}. Returns at once: connecting happens on
   * the drain's thread, and a destination that is down only shows in {@link #stats()}.
   */
  public static Drain open(String app, DrainUrl url, DrainOptions options, DropReporter reporter) {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(reporter, "reporter");
    if (app.isBlank()) throw new IllegalArgumentException("app name is empty");
    Drain drain = new Drain(app, url, options, reporter);
    drain.thread.start();
    return drain;
  }

  /** Queues the line, or drops and counts it when the queue is full. Never blocks or throws. */
  @Override
  public void accept(LogLine line) {
    if (line == null || closed) return;
    if (!queue.offer(line)) drops.drop(1, DropCounter.Reason.QUEUE_FULL);
  }

  /** A snapshot of what the drain has done; cheap, callable from any thread. */
  public DrainStats stats() {
    return new DrainStats(sent.get(), drops.total(), failures.get(), lastError, connected,
        queue.size());
  }

  public String app() {
    return app;
  }

  public DrainUrl url() {
    return url;
  }

  /** Stops the drain within about two seconds at most; see the class comment. Idempotent. */
  @Override
  public void close() {
    closed = true;
    if (Thread.currentThread() == thread) return;
    try {
      thread.join(CLOSE_GRACE);
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(CLOSE_GRACE);
      }
    } catch (InterruptedException e) {
      thread.interrupt();
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) log.warn("drain {} of app {} did not stop in time", url, app);
  }

  private void run() {
    try {
      while (!closed || !queue.isEmpty()) {
        drops.reportIfDue(this::failureDetail);
        List<LogLine> batch = collect();
        if (!batch.isEmpty() && !deliver(batch)) break;
      }
    } catch (InterruptedException e) {
      // close() ran out of patience; the finally block accounts for what is left.
    } catch (RuntimeException e) {
      lastError = "internal error: " + e;
      log.error("drain {} of app {} stopped", url, app, e);
    } finally {
      List<LogLine> left = new ArrayList<>();
      queue.drainTo(left);
      drops.drop(left.size(), DropCounter.Reason.CLOSED);
      transport.close();
      connected = false;
      drops.reportNow(this::failureDetail);
    }
  }

  /** Takes the next batch: waits a tick for a first line, then fills up per the transport. */
  private List<LogLine> collect() throws InterruptedException {
    LogLine first = queue.poll(TICK_NANOS, TimeUnit.NANOSECONDS);
    if (first == null) return List.of();
    int max = transport.maxBatch();
    List<LogLine> batch = new ArrayList<>(Math.min(max, 1024));
    batch.add(first);
    long deadline = System.nanoTime() + transport.maxDelayNanos();
    while (batch.size() < max) {
      queue.drainTo(batch, max - batch.size());
      long left = deadline - System.nanoTime();
      if (batch.size() >= max || closed || left <= 0) break;
      LogLine next = queue.poll(Math.min(left, TICK_NANOS), TimeUnit.NANOSECONDS);
      if (next != null) batch.add(next);
      drops.reportIfDue(this::failureDetail);
    }
    return batch;
  }

  /**
   * Sends a batch, retrying per the transport. Returns false when the drain is closing and the
   * thread should stop; the batch is then counted as dropped.
   */
  private boolean deliver(List<LogLine> batch) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        transport.send(batch);
        sent.addAndGet(batch.size());
        markUp();
        return true;
      } catch (IOException e) {
        markDown(SyslogTcpTransport.describe(e));
        if (closed) {
          drops.drop(batch.size(), DropCounter.Reason.CLOSED);
          return false;
        }
        if (attempt >= transport.maxAttempts()) {
          drops.drop(batch.size(), DropCounter.Reason.DELIVERY_FAILED);
          return true;
        }
        if (!pause(backoffNanos(attempt))) {
          drops.drop(batch.size(), DropCounter.Reason.CLOSED);
          return false;
        }
      } catch (InterruptedException e) {
        drops.drop(batch.size(), DropCounter.Reason.CLOSED);
        throw e;
      }
    }
  }

  long backoffNanos(int attempt) {
    long nanos = BACKOFF_START_NANOS << Math.min(attempt - 1, 20);
    return Math.min(nanos, options.retryBackoffMax().toNanos());
  }

  /** Sleeps, reporting drops meanwhile; false if the drain closed during the pause. */
  private boolean pause(long nanos) throws InterruptedException {
    long until = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = until - System.nanoTime()) {
      if (closed) return false;
      drops.reportIfDue(this::failureDetail);
      TimeUnit.NANOSECONDS.sleep(Math.min(left, TICK_NANOS));
    }
    return !closed;
  }

  private void markUp() {
    connected = transport.connected();
    if (down) {
      down = false;
      log.info("drain {} of app {} delivers again", url, app);
    }
  }

  private void markDown(String error) {
    failures.incrementAndGet();
    lastError = error;
    connected = transport.connected();
    if (!down) {
      down = true;
      log.warn("drain {} of app {} is failing: {}", url, app, error);
    }
  }

  /** Why the destination is failing, for drop reports; null while it works. */
  private String failureDetail() {
    return down ? lastError : null;
  }

  @Override
  public String toString() {
    return "Drain[" + app + " -> " + url + "]";
  }
}
