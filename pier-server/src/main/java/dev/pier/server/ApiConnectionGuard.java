package dev.pier.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Keeps one client of the API and git port from holding it: a remote address may have at most
 * {@link #MAX_PER_ADDRESS} connections open (more are closed at once), and a connection must
 * complete its first request head within {@link #HEAD_TIMEOUT} of being accepted (else it is
 * closed), so a slowloris client that trickles header lines cannot sit on connections. Jetty's
 * own idle timeout covers connections between requests, and a {@code NetworkConnectionLimit}
 * caps the total (see {@code PlatformServer}); these limits are separate from the router's.
 *
 * <p>Added to the connector as a {@link Connection.Listener}: Jetty calls it for every connection
 * it opens and closes, from any thread.
 */
final class ApiConnectionGuard implements Connection.Listener {
  /** Open connections one address may hold: far more than a CLI, git and a console need. */
  static final int MAX_PER_ADDRESS = 64;
  /** Open connections the API connector holds in all; more wait in the accept backlog. */
  static final int MAX_CONNECTIONS = 1000;
  /** How long the first request head of a connection may take. */
  static final Duration HEAD_TIMEOUT = Duration.ofSeconds(10);
  /** How long a connection may sit without a byte either way. */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

  private final Scheduler scheduler;
  private final ConcurrentHashMap<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();
  // The address each open connection was counted under: a closed endpoint no longer knows its
  // remote address, so looking it up again at close would never give the count back.
  private final ConcurrentHashMap<Connection, InetAddress> counted = new ConcurrentHashMap<>();

  ApiConnectionGuard(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  @Override
  public void onOpened(Connection connection) {
    EndPoint endPoint = connection.getEndPoint();
    InetAddress address = address(endPoint);
    if (address == null) return;
    counted.put(connection, address);
    if (byAddress.merge(address, 1, Integer::sum) > MAX_PER_ADDRESS) {
      endPoint.close(); // onClosed gives the count back
      return;
    }
    scheduler.schedule(() -> {
      if (endPoint.isOpen() && connection.getMessagesIn() == 0) endPoint.close();
    }, HEAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void onClosed(Connection connection) {
    InetAddress address = counted.remove(connection);
    if (address != null) byAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
  }

  /** Connections open from {@code address} (for tests and metrics). */
  int openFrom(InetAddress address) {
    return byAddress.getOrDefault(dev.pier.model.ClientAddress.key(address), 0);
  }

  private static InetAddress address(EndPoint endPoint) {
    return endPoint.getRemoteSocketAddress() instanceof InetSocketAddress inet
        ? dev.pier.model.ClientAddress.key(inet.getAddress()) : null;
  }
}
