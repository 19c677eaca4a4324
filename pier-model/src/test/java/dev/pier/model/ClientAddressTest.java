package dev.pier.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
  @Test
  void addressesOfOneIpv6Slash64CountAsOneClient() throws Exception {
    InetAddress a = InetAddress.getByName("2001:db8:1:2:aaaa::1");
    InetAddress b = InetAddress.getByName("2001:db8:1:2:ffff:ffff:ffff:fffe");
    assertThat(ClientAddress.key(a)).isEqualTo(ClientAddress.key(b))
        .isEqualTo(InetAddress.getByName("2001:db8:1:2::"));
    assertThat(ClientAddress.key(InetAddress.getByName("2001:db8:1:3::1"))).isNotEqualTo(ClientAddress.key(a));
  }

  @Test
  void ipv4AndIpv4MappedAddressesCountAsTheSameIpv4Client() throws Exception {
    InetAddress v4 = InetAddress.getByName("192.0.2.7");
    assertThat(ClientAddress.key(v4)).isEqualTo(v4);
    assertThat(ClientAddress.key(InetAddress.getByAddress(
        new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 7}))).isEqualTo(v4);
    assertThat(ClientAddress.key(InetAddress.getByName("::1"))).isEqualTo(InetAddress.getByName("::1"));
  }
}
