package dev.pier.router.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateChecksTest {
  private static final PierCa CA = PierCa.create("Test CA");
  private static final Instant NOW = Instant.now();

  private static String pem(IssuedCertificate c) {
    return String.join("", c.chain().stream().map(PierCa.Pem::encode).toList());
  }

  @Test
  void aValidChainWithItsKeyIsAcceptedWithItsNames() {
    IssuedCertificate c = CA.issue(List.of("www.example.com", "*.example.com"));
    IssuedCertificate checked = CertificateChecks.check(pem(c), PierCa.Pem.encode(c.key()), NOW);
    assertThat(checked.chain()).isEqualTo(c.chain());
    assertThat(CertificateChecks.names(checked.leaf())).containsExactly("www.example.com", "*.example.com");
  }

  @Test
  void aKeyOfAnotherCertificateIsRefused() {
    IssuedCertificate c = CA.issue(List.of("www.example.com"));
    IssuedCertificate other = CA.issue(List.of("www.example.com"));
    assertThatThrownBy(() -> CertificateChecks.check(pem(c), PierCa.Pem.encode(other.key()), NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the private key does not match the certificate");
  }

  @Test
  void anExpiredCertificateIsRefusedWithItsDate() {
    IssuedCertificate c = CA.issue(List.of("old.example.com"),
        NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(1)));
    assertThatThrownBy(() -> CertificateChecks.check(pem(c), PierCa.Pem.encode(c.key()), NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the certificate expired on ");
  }

  @Test
  void aChainOutOfOrderIsRefused() {
    IssuedCertificate c = CA.issue(List.of("www.example.com"));
    String reversed = PierCa.Pem.encode(c.chain().get(1)) + PierCa.Pem.encode(c.chain().get(0));
    assertThatThrownBy(() -> CertificateChecks.check(reversed, PierCa.Pem.encode(c.key()), NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the chain is out of order");
  }

  @Test
  void garbageIsRefusedAsNotPem() {
    IssuedCertificate c = CA.issue(List.of("www.example.com"));
    assertThatThrownBy(() -> CertificateChecks.check("hello", PierCa.Pem.encode(c.key()), NOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no certificate");
    assertThatThrownBy(() -> CertificateChecks.check(pem(c), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", NOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key");
  }

  @Test
  void anAppCertificateWinsExactlyThenByWildcardElseTheFallback() {
    PierCaCertificates pier = new PierCaCertificates(CA, "localhost");
    AppCertificates apps = new AppCertificates(pier);
    apps.replace(List.of(CA.issue(List.of("*.example.com")), CA.issue(List.of("www.example.com"))));
    assertThat(apps.contextFor("www.example.com")).isNotSameAs(apps.contextFor("api.example.com"));
    assertThat(apps.contextFor("api.example.com")).isNotSameAs(pier.fallback());
    assertThat(apps.contextFor("a.b.example.com")).isSameAs(pier.fallback());
    assertThat(apps.contextFor("shop.localhost")).isSameAs(pier.contextFor("shop.localhost"));
    assertThat(apps.contextFor(null)).isSameAs(pier.fallback());
  }
}
