package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {
  @Test
  void anIpv6ClientCannotDodgeThePerAddressLimitWithOtherAddressesOfItsSlash64() throws Exception {
    ConnectionLimits limits = new ConnectionLimits(new ClientLimits(Duration.ofSeconds(10), 100, 2));
    InetAddress a = InetAddress.getByName("2001:db8::1");
    InetAddress b = InetAddress.getByName("2001:db8::2");
    InetAddress c = InetAddress.getByName("2001:db8::3");

    assertThat(limits.open(a)).isEqualTo(ConnectionLimits.Verdict.ADMITTED);
    assertThat(limits.open(b)).isEqualTo(ConnectionLimits.Verdict.ADMITTED);
    assertThat(limits.open(c)).isEqualTo(ConnectionLimits.Verdict.ADDRESS_FULL);
    assertThat(limits.open(InetAddress.getByName("2001:db8:0:1::1"))).isEqualTo(ConnectionLimits.Verdict.ADMITTED);

    limits.close(a);
    assertThat(limits.open(c)).isEqualTo(ConnectionLimits.Verdict.ADMITTED);
  }
}
