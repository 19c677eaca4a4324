package dev.pier.router;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of the router's upgraded connections (WebSockets): how many are open, how many closed,
 * and for the closed ones their bytes each way and total duration. Updated once when a tunnel
 * opens and once when it closes (bytes are counted per relay on its event loop and added then).
 * Thread-safe.
 */
public final class TunnelStats {
  private final AtomicInteger open = new AtomicInteger();
  private final LongAdder closed = new LongAdder();
  private final LongAdder bytesFromClients = new LongAdder();
  private final LongAdder bytesToClients = new LongAdder();
  private final LongAdder millis = new LongAdder();

  void opened() {
    open.incrementAndGet();
  }

  void closed(long durationMillis, long fromClient, long toClient) {
    open.decrementAndGet();
    closed.increment();
    millis.add(durationMillis);
    bytesFromClients.add(fromClient);
    bytesToClients.add(toClient);
  }

  /** Returns the counts now. */
  public Snapshot snapshot() {
    return new Snapshot(open.get(), closed.sum(), bytesFromClients.sum(), bytesToClients.sum(),
        millis.sum());
  }

  /**
   * The tunnel counts at one moment.
   *
   * @param open tunnels open now
   * @param closed tunnels closed since the router started
   * @param bytesFromClients bytes the closed tunnels carried from clients to instances
   * @param bytesToClients bytes the closed tunnels carried from instances to clients
   * @param totalMillis the summed durations of the closed tunnels
   */
  public record Snapshot(int open, long closed, long bytesFromClients, long bytesToClients,
      long totalMillis) {}
}
