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
  private final List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final AppCertificates certs = new AppCertificates(name -> fallbackContext, now::get, warnings::add);

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

  @Test
  void anExpiredExactCertificateGivesWayToAValidWildcardOneBeforeTheFallback() {
    Instant notAfter = Instant.now().plus(Duration.ofDays(10));
    IssuedCertificate exact = OTHER.issue(List.of("www.example.com"), Instant.now().minusSeconds(60), notAfter);
    IssuedCertificate wildcard = OTHER.issue(List.of("*.example.com"));
    certs.replace(List.of(exact, wildcard));
    SslContext wild = certs.contextFor("shop.example.com");
    assertThat(wild).isNotSameAs(fallbackContext);
    assertThat(certs.contextFor("www.example.com")).isNotSameAs(wild);

    now.set(notAfter.plusSeconds(1));
    assertThat(certs.contextFor("www.example.com")).isSameAs(wild);
    assertThat(warnings).hasSize(1).first().asString().contains("www.example.com");
  }

  @Test
  void anExpiredCertificateIsWarnedAboutOnceEvenWhenTheSetIsServedAgain() {
    Instant notAfter = Instant.now().plus(Duration.ofDays(10));
    IssuedCertificate old = OTHER.issue(List.of("www.example.com"), Instant.now().minusSeconds(60), notAfter);
    now.set(notAfter.plusSeconds(1));
    for (int publish = 0; publish < 3; publish++) {
      certs.replace(List.of(old));
      assertThat(certs.contextFor("www.example.com")).isSameAs(fallbackContext);
      assertThat(certs.contextFor("www.example.com")).isSameAs(fallbackContext);
    }
    assertThat(warnings).hasSize(1);
    certs.replace(List.of()); // gone, then back: a new warning
    certs.replace(List.of(old));
    certs.contextFor("www.example.com");
    assertThat(warnings).hasSize(2);
  }

  @Test
  void anExpiredAddedCertificateDoesNotHideAValidOneServedEarlierForTheSameName() {
    Instant notAfter = Instant.now().plus(Duration.ofDays(10));
    IssuedCertificate automatic = OTHER.issue(List.of("www.example.com")); // e.g. ACME's, served first
    IssuedCertificate added = OTHER.issue(List.of("www.example.com"), Instant.now().minusSeconds(60), notAfter);
    certs.replace(List.of(automatic, added));
    SslContext addedContext = certs.contextFor("www.example.com");
    assertThat(addedContext).as("the later one wins while valid").isNotSameAs(fallbackContext);

    now.set(notAfter.plusSeconds(1));
    SslContext after = certs.contextFor("www.example.com");
    assertThat(after).isNotSameAs(fallbackContext).isNotSameAs(addedContext);
  }
}
