package dev.pier.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.deploy.Platform;
import dev.pier.errors.PlatformException;
import dev.pier.router.tls.CertificateChecks;
import dev.pier.router.tls.IssuedCertificate;
import dev.pier.router.tls.PierCa;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ordering, renewal and failures of automatic certificates, on the real store with a clock the
 * test moves and a fake CA (the real ACME exchange with pebble is in pier-e2e's AcmeTest).
 */
class AcmeServiceTest {
  private static final PierCa FAKE_CA = PierCa.create("Fake ACME CA");
  @TempDir java.nio.file.Path tmp;
  private Platform p;
  private final Map<String, List<String>> domains = new ConcurrentHashMap<>();
  private final List<String> orders = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger publishes = new AtomicInteger();
  /** What the fake CA does next: null issues a certificate, else it fails with this reason. */
  private volatile String failWith;

  @BeforeEach
  void start() {
    p = new Platform(tmp);
    p.clock.set(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)); // the fake CA's certificates are valid from about now
    p.app("shop");
    domains.put("shop", new ArrayList<>(List.of("www.shop.test")));
  }

  @AfterEach
  void stop() {
    p.close();
  }

  private AcmeService service() {
    CertificateAuthority ca = host -> {
      orders.add(host);
      if (failWith != null) throw new AcmeFailure(failWith);
      IssuedCertificate c = FAKE_CA.issue(List.of(host));
      return new CertificateAuthority.Issued(
          String.join("", c.chain().stream().map(PierCa.Pem::encode).toList()), PierCa.Pem.encode(c.key()));
    };
    AcmeService s = new AcmeService(new AcmeStore(p.db), ca, null,
        app -> domains.getOrDefault(app, List.of()), p.clock);
    s.onChange(publishes::incrementAndGet);
    return s;
  }

  private static List<String> names(List<IssuedCertificate> served) {
    return served.stream().flatMap(c -> CertificateChecks.names(c.leaf()).stream()).toList();
  }

  private static Map<String, Object> only(List<Map<String, Object>> views) {
    assertThat(views).hasSize(1);
    return views.getFirst();
  }

  @Test
  void eachCustomDomainIsOrderedOnceThenRenewedWhenThirtyDaysRemain() throws Exception {
    AcmeService acme = service();
    acme.runDue();
    assertThat(orders).as("off until the app turns it on").isEmpty();

    acme.enable("shop");
    acme.runDue();
    acme.runDue();
    assertThat(orders).containsExactly("www.shop.test");
    assertThat(names(acme.served())).containsExactly("www.shop.test");
    assertThat(publishes.get()).isEqualTo(1);
    Map<String, Object> view = only(acme.views("shop"));
    assertThat(view).containsEntry("status", "issued").containsEntry("source", "acme")
        .containsEntry("reason", null);
    assertThat((String) view.get("issuer")).contains("Fake ACME CA");
    Instant notAfter = Instant.parse((String) view.get("expires"));

    p.clock.set(notAfter.minus(Duration.ofDays(31)));
    acme.runDue();
    assertThat(orders).hasSize(1);
    p.clock.set(notAfter.minus(Duration.ofDays(29)));
    acme.runDue();
    assertThat(orders).hasSize(2);
  }

  @Test
  void aFailedOrderShowsItsReasonAndIsRetriedWithBackoffWhileTheOldCertificateKeepsServing() throws Exception {
    AcmeService acme = service();
    acme.enable("shop");
    failWith = "challenge failed: 404 from http://www.shop.test/.well-known/acme-challenge/x";
    acme.runDue();
    Map<String, Object> view = only(acme.views("shop"));
    assertThat(view).containsEntry("status", "failed").containsEntry("reason", failWith)
        .containsEntry("next_attempt", p.clock.instant().plus(Duration.ofMinutes(5)).toString());
    assertThat(acme.served()).isEmpty();

    acme.runDue();
    p.clock.advance(Duration.ofMinutes(4));
    acme.runDue();
    assertThat(orders).as("not before the retry time").hasSize(1);
    p.clock.advance(Duration.ofMinutes(1));
    acme.runDue();
    assertThat(orders).hasSize(2);
    assertThat(only(acme.views("shop")).get("next_attempt"))
        .as("the wait doubles").isEqualTo(p.clock.instant().plus(Duration.ofMinutes(10)).toString());

    p.clock.advance(Duration.ofMinutes(10));
    failWith = null;
    acme.runDue();
    assertThat(only(acme.views("shop"))).containsEntry("status", "issued").containsEntry("reason", null);

    // A renewal that fails: the certificate it has keeps being served, the reason is shown.
    Instant notAfter = Instant.parse((String) only(acme.views("shop")).get("expires"));
    p.clock.set(notAfter.minus(Duration.ofDays(20)));
    failWith = "rate limited by the CA: too many certificates";
    acme.runDue();
    assertThat(only(acme.views("shop"))).containsEntry("status", "issued").containsEntry("reason", failWith);
    assertThat(names(acme.served())).containsExactly("www.shop.test");
  }

  @Test
  void aRemovedDomainOrADisabledAppStopsItsCertificateBeingServed() throws Exception {
    domains.get("shop").add("api.shop.test");
    AcmeService acme = service();
    acme.enable("shop");
    acme.runDue();
    assertThat(names(acme.served())).containsExactlyInAnyOrder("www.shop.test", "api.shop.test");

    domains.get("shop").remove("api.shop.test");
    assertThat(names(acme.served())).containsExactly("www.shop.test");
    acme.runDue();
    assertThat(acme.views("shop")).hasSize(1);

    acme.disable("shop");
    assertThat(acme.served()).isEmpty();
    assertThat(acme.views("shop")).isEmpty();
  }

  @Test
  void aDomainWhoseOrderHangsAtTheCaDoesNotHoldUpTheOthers() throws Exception {
    domains.put("shop", new ArrayList<>(List.of("slow.shop.test", "www.shop.test", "api.shop.test")));
    java.util.concurrent.CountDownLatch othersIssued = new java.util.concurrent.CountDownLatch(2);
    CertificateAuthority ca = host -> {
      orders.add(host);
      if (host.startsWith("slow.") && !othersIssued.await(20, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new AcmeFailure("the others waited for this one");
      }
      IssuedCertificate c = FAKE_CA.issue(List.of(host));
      if (!host.startsWith("slow.")) othersIssued.countDown();
      return new CertificateAuthority.Issued(
          String.join("", c.chain().stream().map(PierCa.Pem::encode).toList()), PierCa.Pem.encode(c.key()));
    };
    AcmeService acme = new AcmeService(new AcmeStore(p.db), ca, null,
        app -> domains.getOrDefault(app, List.of()), p.clock);
    acme.enable("shop");
    acme.runDue();
    assertThat(names(acme.served())).containsExactlyInAnyOrder("slow.shop.test", "www.shop.test", "api.shop.test");
    assertThat(acme.views("shop")).allSatisfy(v -> assertThat(v).containsEntry("status", "issued"));
  }

  @Test
  void anOrderCutOffMidwayLeavesNothingSoTheNextStartOrdersAgain() throws Exception {
    AcmeService first = new AcmeService(new AcmeStore(p.db), host -> {
      orders.add(host);
      throw new InterruptedException("killed mid-order");
    }, null, app -> domains.getOrDefault(app, List.of()), p.clock);
    first.enable("shop");
    assertThatThrownBy(first::runDue).isInstanceOf(InterruptedException.class);
    assertThat(only(first.views("shop"))).containsEntry("status", "pending");

    AcmeService next = service(); // the next start, on the same store
    next.runDue();
    assertThat(orders).containsExactly("www.shop.test", "www.shop.test");
    assertThat(names(next.served())).containsExactly("www.shop.test");
  }

  @Test
  void aDomainRemovedOrMovedWhileAnOrderRunsIsNeitherOrderedNorStored() throws Exception {
    domains.put("shop", new ArrayList<>(List.of("www.shop.test", "api.shop.test")));
    p.app("blog");
    AcmeService acme = new AcmeService(new AcmeStore(p.db), host -> {
      orders.add(host);
      // Mid-order (an order can take minutes): both domains leave shop, one moves to blog.
      domains.put("shop", List.of());
      domains.put("blog", List.of("www.shop.test"));
      IssuedCertificate c = FAKE_CA.issue(List.of(host));
      return new CertificateAuthority.Issued(
          String.join("", c.chain().stream().map(PierCa.Pem::encode).toList()), PierCa.Pem.encode(c.key()));
    }, null, app -> domains.getOrDefault(app, List.of()), p.clock);
    acme.onChange(publishes::incrementAndGet);
    acme.enable("shop");
    acme.runDue();
    // Orders run side by side: whichever started first moved both domains, and the other was
    // ordered too or, gone before it started, not at all. Either way no outcome is stored.
    assertThat(orders).isNotEmpty().isSubsetOf("www.shop.test", "api.shop.test").doesNotHaveDuplicates();
    assertThat(acme.served()).isEmpty();
    assertThat(new AcmeStore(p.db).all()).as("nothing stored under the old app").isEmpty();
    assertThat(publishes.get()).isZero();
  }

  @Test
  void aFailureOfADomainRemovedWhileItsOrderRanIsNotStored() throws Exception {
    AcmeService acme = new AcmeService(new AcmeStore(p.db), host -> {
      orders.add(host);
      domains.put("shop", List.of());
      throw new AcmeFailure("challenge failed");
    }, null, app -> domains.getOrDefault(app, List.of()), p.clock);
    acme.enable("shop");
    acme.runDue();
    assertThat(orders).containsExactly("www.shop.test");
    assertThat(new AcmeStore(p.db).all()).isEmpty();
  }

  @Test
  void wildcardDomainsAreShownAsUnsupportedAndNeverOrdered() throws Exception {
    domains.put("shop", List.of("*.shop.test"));
    AcmeService acme = service();
    acme.enable("shop");
    acme.runDue();
    assertThat(orders).isEmpty();
    assertThat(only(acme.views("shop"))).containsEntry("status", "unsupported")
        .containsEntry("reason", AcmeService.WILDCARD_REASON);
  }

  @Test
  void withoutAnAcmeDirectoryEnablingIsRefusedWithTheReason() {
    AcmeService off = new AcmeService(new AcmeStore(p.db), null, "automatic certificates are off",
        app -> List.of(), p.clock);
    assertThatThrownBy(() -> off.enable("shop")).isInstanceOf(PlatformException.class)
        .hasMessageContaining("automatic certificates are off");
    assertThat(off.status("shop")).containsEntry("enabled", false).containsEntry("available", false);
  }
}
