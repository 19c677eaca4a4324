package dev.pier.addons;

import dev.pier.errors.PlatformException;
import dev.pier.sandbox.PortRange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;

/**
 * The add-on port range (server flag {@code --addon-ports FIRST-LAST}, env {@code PIER_ADDON_PORTS},
 * default {@value #DEFAULT}): each add-on listens on its own port from it, below the instances'
 * range (20000-29999) and Linux's ephemeral ports.
 */
public final class AddonPorts {
  public static final String DEFAULT = "15000-15999";

  private final PortRange range;

  public AddonPorts(PortRange range) {
    this.range = range;
  }

  /** {@code FIRST-LAST}, e.g. {@code 15000-15999}; an IllegalArgumentException naming the problem otherwise. */
  public static AddonPorts parse(String spec) {
    String[] parts = spec.trim().split("-");
    try {
      if (parts.length != 2) throw new NumberFormatException();
      int first = Integer.parseInt(parts[0].trim());
      int last = Integer.parseInt(parts[1].trim());
      if (first < 1024 || last > 65535 || first > last) throw new NumberFormatException();
      return new AddonPorts(new PortRange(first, last));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad add-on port range '" + spec + "': use FIRST-LAST within 1024-65535, e.g. " + DEFAULT);
    }
  }

  public PortRange range() {
    return range;
  }

  /** The lowest port of the range no add-on has ({@code used}) and nothing listens on; 409 if none is left. */
  public int pick(Set<Integer> used) {
    for (int port = range.first(); port <= range.last(); port++) {
      if (!used.contains(port) && free(port)) return port;
    }
    throw PlatformException.conflict("no add-on port is free in " + range.first() + "-" + range.last()
        + ": destroy an add-on or start Pier with a larger --addon-ports range");
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
