package dev.pier.model;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * What per-client limits count a connection under: an IPv4 address as it is, an IPv6 address by
 * its /64 prefix (one subscriber or host usually holds a whole /64, so counting single IPv6
 * addresses would give one client millions of allowances), an IPv4-mapped IPv6 address as the
 * IPv4 address.
 */
public final class ClientAddress {
  private ClientAddress() {}

  /** The key {@code address} is counted under. */
  public static InetAddress key(InetAddress address) {
    if (address instanceof Inet4Address || !(address instanceof Inet6Address)) return address;
    byte[] bytes = address.getAddress();
    if (isIpv4Mapped(bytes)) {
      try {
        return InetAddress.getByAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
      } catch (UnknownHostException impossible) {
        return address;
      }
    }
    if (address.isLoopbackAddress()) return address;
    for (int i = 8; i < 16; i++) bytes[i] = 0;
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException impossible) {
      return address;
    }
  }

  private static boolean isIpv4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) if (b[i] != 0) return false;
    return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
  }
}
