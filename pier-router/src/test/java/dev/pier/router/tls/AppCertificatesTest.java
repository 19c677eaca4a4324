package dev.pier.router.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Which context a name gets: an app's certificate while valid and listed, else the fallback's. */
class AppCertificatesTest {
  private static final PierCa OTHER = PierCa.create("Other CA");
  private final SslContext fallbackContext = OTHER.issue(List.of("fallback.test")).serverContext();
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
  private final AppCertificates certs = new AppCertificates(name -> fallbackContext, now::get);

  @Test
  void anExpiredCertificateGivesWayToTheFallbackForItsNames() {
    Instant notAfter = Instant.now().plus(Duration.ofDays(10));
    certs.replace(List.of(OTHER.issue(List.of("www.example.com"), Instant.now().minusSeconds(60), notAfter)));
    SslContext own = certs.contextFor("www.example.com");
    assertThat(own).isNotSameAs(fallbackContext);

    now.set(notAfter.plusSeconds(1));
    assertThat(certs.contextFor("WWW.example.com")).isSameAs(fallbackContext);
    assertThat(certs.contextFor("www.example.com")).as("still, after the one warning").isSameAs(fallbackContext);
    now.set(notAfter.minusSeconds(1));
    assertThat(certs.contextFor("www.example.com")).isSameAs(own);
  }

  @Test
  void aCertificateIsPresentedOnlyForTheNamesItIsServedFor() {
    IssuedCertificate both = OTHER.issue(List.of("www.example.com", "shop.example.com"));
    certs.serve(List.of(new AppCertificates.Entry(both, List.of("www.example.com"))));
    assertThat(certs.contextFor("www.example.com")).isNotSameAs(fallbackContext);
    assertThat(certs.contextFor("shop.example.com")).isSameAs(fallbackContext);
  }

}
