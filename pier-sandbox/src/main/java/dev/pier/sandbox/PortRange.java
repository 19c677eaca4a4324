package dev.pier.sandbox;

/** TCP/UDP ports {@code first} to {@code last}, both included. */
public record PortRange(int first, int last) {
  public PortRange {
    if (first < 1 || last > 65535 || first > last) {
      throw new IllegalArgumentException("bad port range " + first + "-" + last);
    }
  }

  public static PortRange of(int port) {
    return new PortRange(port, port);
  }

  /** nftables notation: {@code 7070} or {@code 20000-29999}. */
  String nft() {
    return first == last ? Integer.toString(first) : first + "-" + last;
  }
}
