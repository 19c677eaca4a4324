package dev.pier.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.app.AppService;
import dev.pier.deploy.Platform;
import dev.pier.domains.DomainService;
import dev.pier.domains.DomainStore;
import dev.pier.domains.HostNames;
import dev.pier.errors.PlatformException;
import dev.pier.model.AppName;
import dev.pier.router.tls.AppCertificates;
import dev.pier.router.tls.IssuedCertificate;
import dev.pier.router.tls.PierCa;
import dev.pier.router.tls.PierCaCertificates;
import dev.pier.routing.RoutePublisher;
import dev.pier.store.DataDirs;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploaded certificates as the router gets them: only for names their app still owns, and shown
 * with their expiry and whether they expired or soon will.
 */
class CertServiceTest {
  private static final PierCa PIER = PierCa.create("Pier test CA");
  private static final PierCa OTHER = PierCa.create("Other CA");
  @TempDir Path tmp;
  private Platform p;
  private DomainService domains;
  private CertService certs;
  private AppCertificates router;
  private SslContext fallback;
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
  private final AppName shop = new AppName("shop");

  @BeforeEach
  void start() {
    p = new Platform(tmp);
    AppService apps = new AppService(p.apps, new DataDirs(tmp.resolve("data")), p.logs, p.clock,
        new AppService.Urls("pier.test", 8080, "http://127.0.0.1:5000"));
    RoutePublisher routes = new RoutePublisher(apps, p.runtime, p.versions, p.processes, t -> {});
    apps.wire(p.processes, routes);
    domains = new DomainService(new DomainStore(p.db), new HostNames("pier.test"), routes::publish, p.clock);
    PierCaCertificates pierCa = new PierCaCertificates(PIER, "pier.test");
    fallback = pierCa.fallback();
    router = new AppCertificates(name -> fallback, now::get);
    certs = new CertService(new CertStore(p.db), router, pierCa, now::get);
    certs.customDomains(app -> domains.list(new AppName(app)).stream().map(DomainStore.Domain::hostname).toList());
    certs.allDomains(domains::all);
    domains.onChange(certs::publish);
    p.app("shop");
  }

  @AfterEach
  void stop() {
    p.close();
  }

  private Map<String, Object> add(IssuedCertificate c) {
    return add("shop", c);
  }

  private Map<String, Object> add(String app, IssuedCertificate c) {
    String chain = String.join("", c.chain().stream().map(PierCa.Pem::encode).toList());
    return certs.add(app, chain, PierCa.Pem.encode(c.key()));
  }

  @Test
  void anotherAppsExactDomainIsNotAWildcardAppsNameForItsCertificates() {
    AppName blog = new AppName("blog");
    p.app("blog");
    domains.add(shop, "*.example.com");
    add(OTHER.issue(List.of("*.example.com", "www.example.com")));
    // www.example.com is shop's through its wildcard while no app has it exactly
    assertThat(router.contextFor("www.example.com")).isNotSameAs(fallback);

    domains.add(blog, "www.example.com");
    assertThat(router.contextFor("www.example.com")).as("not shop's any more, not even by its wildcard")
        .isSameAs(fallback);
    assertThat(router.contextFor("api.example.com")).isNotSameAs(fallback);
    assertThatThrownBy(() -> add(OTHER.issue(List.of("*.example.com", "www.example.com"))))
        .isInstanceOf(PlatformException.class).hasMessageContaining("www.example.com is not a name of shop");

    add("blog", OTHER.issue(List.of("www.example.com"))); // shop's stored one no longer stands in the way
    for (int i = 0; i < 2; i++) {
      SslContext blogs = router.contextFor("www.example.com");
      assertThat(blogs).isNotSameAs(fallback).isNotSameAs(router.contextFor("api.example.com"));
      certs.publish(); // the same after any later publish
    }
  }

  @Test
  void aCertificateOfARemovedDomainIsNoLongerPresented() {
    domains.add(shop, "www.example.com");
    domains.add(shop, "example.com");
    add(OTHER.issue(List.of("www.example.com", "example.com")));
    assertThat(router.contextFor("www.example.com")).isNotSameAs(fallback);

    domains.remove(shop, "www.example.com");

    assertThat(router.contextFor("www.example.com")).isSameAs(fallback);
    assertThat(router.contextFor("example.com")).as("its other name stays").isNotSameAs(fallback);
  }

  @Test
  void anExpiredCertificateIsRefusedWithItsDateAndOneThatExpiresLaterIsMarkedThenNotPresented() {
    domains.add(shop, "www.example.com");
    Instant expired = Instant.now().minus(Duration.ofDays(2));
    assertThatThrownBy(() -> add(OTHER.issue(List.of("www.example.com"), expired.minus(Duration.ofDays(30)), expired)))
        .isInstanceOf(PlatformException.class)
        .hasMessageContaining("certificate refused: the certificate expired on " + expired.toString().substring(0, 10));

    Instant soon = Instant.now().plus(Duration.ofDays(10)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    add(OTHER.issue(List.of("www.example.com"), Instant.now().minusSeconds(60), soon));

    List<Map<String, Object>> listed = certs.list("shop");
    assertThat(listed.getFirst()).containsEntry("expires", soon.toString()).containsEntry("state", "expiring")
        .containsEntry("source", "uploaded");
    assertThat(listed.getLast()).containsEntry("source", "pier-ca").containsEntry("state", "valid");

    now.set(soon.plusSeconds(1));
    assertThat(certs.list("shop").getFirst()).containsEntry("state", "expired");
    assertThat(router.contextFor("www.example.com")).as("Pier CA's instead").isSameAs(fallback);
  }
}
