package dev.pier.drains;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Which addresses drains may send to. A drain URL is typed by an API user, and the server sends
 * to it from its own network position, so without a check it could reach what only the machine
 * itself can (a local database, the cloud's metadata service at 169.254.169.254, Pier's own API):
 * server-side request forgery.
 *
 * <p>{@link #check} resolves the host and refuses it when any of its addresses is this machine's:
 * loopback ({@code 127.0.0.0/8}, {@code ::1}), the wildcard address ({@code 0.0.0.0},
 * {@code ::}), link-local ({@code 169.254.0.0/16}, {@code fe80::/10}) or an address of one of
 * this machine's interfaces. With local destinations allowed (an operator's choice, for a
 * collector on the same machine), those pass except on the platform's own ports (the API, the
 * router, the instances' port range), which are never a drain. Other machines, private ranges
 * included, are always allowed.
 *
 * <p>Drains check when a URL is added and again before each connection (syslog) or request
 * (HTTP), so a name that later resolves to this machine is caught too. Thread-safe.
 */
public final class DrainDestinations {
  /** Everything allowed: for embedders and tests that guard elsewhere. */
  public static final DrainDestinations ANY = new DrainDestinations(true, port -> false);

  private final boolean allowLocal;
  private final IntPredicate platformPort;

  private DrainDestinations(boolean allowLocal, IntPredicate platformPort) {
    this.allowLocal = allowLocal;
    this.platformPort = platformPort;
  }

  /** Refuses this machine's addresses (the default). */
  public static DrainDestinations remoteOnly() {
    return new DrainDestinations(false, port -> false);
  }

  /**
   * Refuses this machine's addresses unless {@code allowLocal}; even then refuses them on the
   * ports {@code platformPort} matches.
   */
  public static DrainDestinations of(boolean allowLocal, IntPredicate platformPort) {
    return new DrainDestinations(allowLocal, platformPort);
  }

  /**
   * Resolves the URL's host and returns its addresses when all are allowed.
   *
   * @throws IOException the host does not resolve, or resolves to a refused address; the message
   *     is a sentence for the user that names the URL (redacted) and the address
   */
  public List<InetAddress> check(DrainUrl url) throws IOException {
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(url.host());
    } catch (UnknownHostException e) {
      throw new IOException("cannot resolve the host of drain URL '" + url.redacted() + "'");
    }
    for (InetAddress address : addresses) {
      String local = local(address);
      if (local == null) continue;
      if (!allowLocal) {
        throw new IOException("drain URL '" + url.redacted() + "' points at " + local + " ("
            + address.getHostAddress() + "); drains go to other machines unless the operator allows"
            + " local ones (PIER_ALLOW_LOCAL_DRAINS=1)");
      }
      if (platformPort.test(url.port())) {
        throw new IOException("drain URL '" + url.redacted() + "' points at Pier's own port "
            + url.port() + " on this machine (" + address.getHostAddress() + ")");
      }
    }
    return List.of(addresses);
  }

  /** What makes {@code address} this machine's, or null when it is another machine's. */
  static String local(InetAddress address) {
    if (address.isLoopbackAddress()) return "this machine's loopback address";
    if (address.isAnyLocalAddress()) return "this machine (the wildcard address)";
    if (address.isLinkLocalAddress()) return "a link-local address";
    try {
      if (NetworkInterface.getByInetAddress(address) != null) return "an address of this machine";
    } catch (SocketException e) {
      return "an address that cannot be told apart from this machine's (" + e.getMessage() + ")";
    }
    return null;
  }
}
