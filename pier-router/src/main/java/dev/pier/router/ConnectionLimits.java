package dev.pier.router;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts open client connections, in total and per remote address, against {@link ClientLimits}.
 * Thread-safe: every event loop opens and closes connections through one instance. An address
 * leaves the table when its last connection closes, so the table holds only addresses with open
 * connections.
 */
final class ConnectionLimits {
  /** Refusals are reported (logged) at most this often. */
  private static final long REPORT_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** The outcome of {@link #open}. */
  enum Verdict {
    ADMITTED,
    /** The address already holds {@link ClientLimits#maxConnectionsPerAddress()} connections. */
    ADDRESS_FULL,
    /** The router already holds {@link ClientLimits#maxConnections()} connections. */
    ROUTER_FULL
  }

  private final int max;
  private final int maxPerAddress;
  private final AtomicInteger total = new AtomicInteger();
  /** Of {@link #total}: the HTTP/2 streams counted like connections ({@link #openStream}). */
  private final AtomicInteger streams = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong reported = new AtomicLong();
  private final AtomicLong lastReportNanos = new AtomicLong(System.nanoTime() - REPORT_EVERY_NANOS);

  ConnectionLimits(ClientLimits limits) {
    this.max = limits.maxConnections();
    this.maxPerAddress = limits.maxConnectionsPerAddress();
  }

  /**
   * Counts a new connection from {@code address} if both limits allow it. Only an {@link
   * Verdict#ADMITTED} connection is counted, and must be given back with {@link #close} once.
   */
  Verdict open(InetAddress client) {
    InetAddress address = dev.pier.model.ClientAddress.key(client);
    if (total.incrementAndGet() > max) {
      total.decrementAndGet();
      refused.incrementAndGet();
      return Verdict.ROUTER_FULL;
    }
    int n = byAddress.merge(address, 1, Integer::sum);
    if (n > maxPerAddress) {
      close(client);
      refused.incrementAndGet();
      return Verdict.ADDRESS_FULL;
    }
    return Verdict.ADMITTED;
  }

  /** Gives back the count of an admitted connection from {@code address}. */
  void close(InetAddress client) {
    byAddress.computeIfPresent(dev.pier.model.ClientAddress.key(client), (a, n) -> n == 1 ? null : n - 1);
    total.decrementAndGet();
  }

  /**
   * Counts an open HTTP/2 stream of {@code client} like one more connection (each stream holds
   * an instance connection of its own), so streams cannot multiply what the limits allow. Give an
   * {@link Verdict#ADMITTED} one back with {@link #closeStream}.
   */
  Verdict openStream(InetAddress client) {
    Verdict verdict = open(client);
    if (verdict == Verdict.ADMITTED) streams.incrementAndGet();
    return verdict;
  }

  /** Gives back the count of an admitted stream of {@code client}. */
  void closeStream(InetAddress client) {
    streams.decrementAndGet();
    close(client);
  }

  /** Returns how many client connections are open (streams not counted). */
  int openCount() {
    return total.get() - streams.get();
  }

  /** Returns how many client connections from {@code address} are open. */
  int openCount(InetAddress client) {
    return byAddress.getOrDefault(dev.pier.model.ClientAddress.key(client), 0);
  }

  /** Returns how many connections were refused since the start. */
  long refused() {
    return refused.get();
  }

  /**
   * Returns how many connections were refused since the last report if a report is due (the
   * first refusal, then at most one a minute), else 0; the caller that gets a number reports it.
   */
  long refusedToReport(long nowNanos) {
    long last = lastReportNanos.get();
    if (nowNanos - last < REPORT_EVERY_NANOS || !lastReportNanos.compareAndSet(last, nowNanos)) {
      return 0;
    }
    long all = refused.get();
    return all - reported.getAndSet(all);
  }
}
