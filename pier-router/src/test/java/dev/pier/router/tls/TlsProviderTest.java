package dev.pier.router.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;

class TlsProviderTest {
  @Test
  void theTlsPortUsesBoringSslOnLinuxX86() {
    assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"));
    assertThat(IssuedCertificate.PROVIDER).isEqualTo(SslProvider.OPENSSL);
  }
}
