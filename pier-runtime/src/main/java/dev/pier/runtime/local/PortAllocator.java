package dev.pier.runtime.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out loopback ports for instances from a range, skipping ports it already handed out and
 * ports something else is bound to. Successive allocations walk the range round-robin from a
 * random start, so a port released by a stopped instance is not immediately reused. Thread-safe.
 */
public final class PortAllocator {
  /** Below Linux's ephemeral range (32768+), so ports chosen by the OS rarely collide. */
  public static final int DEFAULT_FROM = 20000;

  public static final int DEFAULT_TO = 29999;

  private static final InetAddress LOOPBACK = loopback();

  private final int from;
  private final int to;
  private final Set<Integer> taken = new HashSet<>();
  private int next;

  public PortAllocator(int from, int to) {
    if (from < 1024 || to > 65535 || from > to) {
      throw new IllegalArgumentException("bad port range " + from + "-" + to);
    }
    this.from = from;
    this.to = to;
    this.next = from + ThreadLocalRandom.current().nextInt(to - from + 1);
  }

  public static PortAllocator defaultRange() {
    return new PortAllocator(DEFAULT_FROM, DEFAULT_TO);
  }

  /** The ports this allocator hands out (what a network guard protects from other apps). */
  public dev.pier.sandbox.PortRange range() {
    return new dev.pier.sandbox.PortRange(from, to);
  }

  /**
   * Returns a port that is free on 127.0.0.1 now and not handed out before (until {@link
   * #release}d).
   *
   * @throws IllegalStateException when every port of the range is in use
   */
  public synchronized int allocate() {
    int size = to - from + 1;
    for (int i = 0; i < size; i++) {
      int port = next;
      next = port == to ? from : port + 1;
      if (!taken.contains(port) && isFree(port)) {
        taken.add(port);
        return port;
      }
    }
    throw new IllegalStateException("no free port in " + from + "-" + to);
  }

  /** Makes a port available again; does nothing for ports not handed out. */
  public synchronized void release(int port) {
    taken.remove(port);
  }

  /** True when nothing listens on (or holds) the port on the loopback address. */
  static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      // Without SO_REUSEADDR the bind also fails for wildcard listeners and TIME_WAIT leftovers.
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(LOOPBACK, port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static InetAddress loopback() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
