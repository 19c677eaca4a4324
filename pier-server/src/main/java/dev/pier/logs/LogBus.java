package dev.pier.logs;

import dev.pier.model.LogLine;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Every app's log stream: a bounded buffer of the newest lines per app plus live subscribers for
 * {@code logs --tail}.
 *
 * <p>{@link #append} never blocks: it is called from the router's event loop and from instance
 * output readers. A subscriber that cannot keep up loses lines, and the next line it receives is
 * preceded by a platform line saying how many were dropped.
 */
public final class LogBus {
  private final int capacity;
  private final InstantSource clock;
  private final Map<String, AppLog> apps = new ConcurrentHashMap<>();
  private final List<Consumer<LogLine>> sinks = new CopyOnWriteArrayList<>();

  public LogBus(int capacity, InstantSource clock) {
    this.capacity = capacity;
    this.clock = clock;
  }

  /**
   * Adds a sink that sees every line after it is buffered (the durable store, drains). Sinks
   * MUST NOT block or throw: they are called on the appending thread.
   */
  public void addSink(Consumer<LogLine> sink) {
    sinks.add(sink);
  }

  public void append(String app, String source, String process, String text) {
    LogLine line = new LogLine(clock.instant(), app, source, process, text);
    apps.computeIfAbsent(app, a -> new AppLog()).append(line, capacity);
    for (Consumer<LogLine> sink : sinks) sink.accept(line);
  }

  /** Platform line helper: {@code pier[process]: text}. */
  public void platform(String app, String process, String text) {
    append(app, "pier", process, text);
  }

  /** How many of an app's newest lines the buffer holds. */
  public int capacity() {
    return capacity;
  }

  /** The newest {@code n} lines, oldest first. */
  public List<LogLine> recent(String app, int n) {
    AppLog log = apps.get(app);
    return log == null ? List.of() : log.recent(n);
  }

  /**
   * Subscribes to new lines of an app; the returned subscription must be closed. Lines appended
   * after this call are delivered in order.
   */
  public Subscription subscribe(String app) {
    AppLog log = apps.computeIfAbsent(app, a -> new AppLog());
    Subscription s = new Subscription(log);
    log.subscribers.add(s);
    return s;
  }

  /** Drops an app's buffered lines (the app was destroyed). */
  public void forget(String app) {
    apps.remove(app);
  }

  private static final class AppLog {
    private final ArrayDeque<LogLine> lines = new ArrayDeque<>();
    private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();

    synchronized void append(LogLine line, int capacity) {
      lines.addLast(line);
      while (lines.size() > capacity) lines.removeFirst();
      for (Subscription s : subscribers) s.offer(line);
    }

    synchronized List<LogLine> recent(int n) {
      List<LogLine> all = new ArrayList<>(lines);
      return List.copyOf(all.subList(Math.max(0, all.size() - n), all.size()));
    }
  }

  /** A live feed of one app's new lines. */
  public static final class Subscription implements AutoCloseable {
    private final AppLog log;
    private final BlockingQueue<LogLine> queue = new ArrayBlockingQueue<>(10_000);
    private final AtomicLong dropped = new AtomicLong();

    private Subscription(AppLog log) {
      this.log = log;
    }

    private void offer(LogLine line) {
      if (!queue.offer(line)) dropped.incrementAndGet();
    }

    /** Waits up to {@code millis} for the next line; null on timeout. */
    public LogLine poll(long millis) throws InterruptedException {
      return queue.poll(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Returns and resets the count of lines lost because this reader was too slow. */
    public long takeDropped() {
      return dropped.getAndSet(0);
    }

    @Override
    public void close() {
      log.subscribers.remove(this);
    }
  }
}
