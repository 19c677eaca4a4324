package dev.pier.certs;

import dev.pier.errors.PlatformException;
import dev.pier.router.tls.AppCertificates;
import dev.pier.router.tls.CertificateChecks;
import dev.pier.router.tls.IssuedCertificate;
import dev.pier.router.tls.PierCaCertificates;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds, lists and removes apps' HTTPS certificates: checks them ({@link CertificateChecks}),
 * stores them, and gives the router the new set after each change (and at start).
 */
public final class CertService {
  private static final Logger LOG = LoggerFactory.getLogger(CertService.class);
  /** The issuer shown for the certificates Pier's own CA makes. */
  public static final String PIER_CA = "pier-ca";

  private final CertStore store;
  private final AppCertificates router;
  private final PierCaCertificates pierCa;
  private final InstantSource clock;
  private volatile java.util.function.Function<String, List<String>> customDomains = app -> List.of();
  private volatile dev.pier.acme.AcmeService acme;
  private volatile java.util.function.Supplier<Map<String, List<String>>> allDomains = Map::of;

  /** {@code router} and {@code pierCa} are null when the router has no HTTPS listener. */
  public CertService(CertStore store, AppCertificates router, PierCaCertificates pierCa,
      InstantSource clock) {
    this.store = store;
    this.router = router;
    this.pierCa = pierCa;
    this.clock = clock;
  }

  /**
   * Where every app's custom domains come from, by app: a name one app has as an exact domain is
   * not another app's through a wildcard domain (as at the router, an exact host beats a wildcard).
   */
  public void allDomains(java.util.function.Supplier<Map<String, List<String>>> domains) {
    this.allDomains = domains;
  }

  /** Where an app's custom domains come from ({@code pier domains}): a certificate may name them. */
  public void customDomains(java.util.function.Function<String, List<String>> domains) {
    this.customDomains = domains;
  }

  /**
   * Whether {@code app} may present a certificate for {@code name}: its own {@code APP.DOMAIN}
   * names ({@code X.APP.DOMAIN}, {@code *.APP.DOMAIN}), its custom domains, and names under a
   * wildcard domain it has unless another app has that name as an exact domain ({@code
   * exactOwners}: app by exact custom domain). Never {@code DOMAIN}, {@code *.DOMAIN} or another
   * app's names.
   */
  private boolean owns(String app, String name, List<String> domains, Map<String, String> exactOwners) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    String base = n.startsWith("*.") ? n.substring(2) : n;
    if (pierCa != null && app.equals(pierCa.appOf(base))) return true;
    if (domains.contains(n)) return true;
    int dot = n.indexOf('.');
    return !n.startsWith("*.") && dot > 0 && domains.contains("*." + n.substring(dot + 1))
        && !exactOwners.containsKey(n);
  }

  /** The app of each exact (not wildcard) custom domain. */
  private Map<String, String> exactOwners() {
    Map<String, String> owners = new java.util.HashMap<>();
    allDomains.get().forEach((app, names) -> names.stream().filter(n -> !n.startsWith("*."))
        .forEach(n -> owners.put(n.toLowerCase(java.util.Locale.ROOT), app)));
    return owners;
  }

  /**
   * Automatic certificates (#12 ACME): served behind the added ones (an added certificate wins for
   * a name both have) and listed between them and Pier's CA's.
   */
  public void acme(dev.pier.acme.AcmeService automatic) {
    this.acme = automatic;
  }

  /** Checks and stores a certificate of {@code app}: 422 for one that is not usable. */
  public synchronized Map<String, Object> add(String app, String certPem, String keyPem) {
    if (certPem == null || certPem.isBlank()) throw PlatformException.invalid("certificate is required (PEM)");
    if (keyPem == null || keyPem.isBlank()) throw PlatformException.invalid("key is required (PEM)");
    IssuedCertificate checked;
    try {
      checked = CertificateChecks.check(certPem, keyPem, clock.instant());
    } catch (IllegalArgumentException e) {
      throw PlatformException.invalid("certificate refused: " + e.getMessage());
    }
    List<String> names = CertificateChecks.names(checked.leaf());
    List<String> domains = customDomains.apply(app);
    Map<String, String> exactOwners = exactOwners();
    Map<String, List<String>> domainsOf = new java.util.HashMap<>();
    for (String name : names) {
      if (!owns(app, name, domains, exactOwners)) {
        throw PlatformException.invalid("certificate refused: " + name + " is not a name of " + app
            + ": a certificate may list the app's own names and its custom domains (add one first with"
            + " pier domains:add NAME -a " + app + ")");
      }
      String owner = pierCa == null ? null : pierCa.appOf(name.startsWith("*.") ? name.substring(2) : name);
      if (owner != null && !owner.equals(app)) {
        throw PlatformException.invalid("certificate refused: " + name + " is a name of app "
            + owner + ", not of " + app);
      }
      for (StoredCertificate other : store.all()) {
        // another app's certificate stands in the way only while that app still owns the name
        if (!other.app().equals(app) && other.names().contains(name)
            && owns(other.app(), name, domainsOf.computeIfAbsent(other.app(), customDomains), exactOwners)) {
          throw PlatformException.conflict(name + " already has a certificate of app " + other.app());
        }
      }
    }
    X509Certificate leaf = checked.leaf();
    StoredCertificate stored = store.add(app, names, leaf.getIssuerX500Principal().getName(),
        leaf.getNotAfter().toInstant(), certPem, keyPem, clock.instant());
    publish();
    return view(stored);
  }

  /** The certificates of {@code app}: its own, then the automatic one of Pier's CA. */
  public List<Map<String, Object>> list(String app) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (StoredCertificate c : store.of(app)) out.add(view(c));
    if (acme != null) out.addAll(acme.views(app));
    if (pierCa != null) {
      X509Certificate auto = pierCa.certificateOf(app);
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("id", null);
      v.put("names", CertificateChecks.names(auto));
      v.put("issuer", PIER_CA);
      v.put("expires", auto.getNotAfter().toInstant().toString());
      v.put("state", state(auto.getNotAfter().toInstant()));
      v.put("source", PIER_CA);
      out.add(v);
    }
    return out;
  }

  /** Removes certificate {@code id} of {@code app}: 404 when it has none by that id. */
  public synchronized void remove(String app, long id) {
    if (!store.remove(app, id)) {
      throw PlatformException.notFound("app " + app + " has no certificate " + id
          + " (see pier certs -a " + app + ")");
    }
    publish();
  }

  /**
   * Gives the router every stored certificate, each for the names its app still owns (a custom
   * domain removed since, or an app renamed, takes its names off). A broken one is skipped with a
   * warning; an expired one is passed on, and the router presents Pier's CA's certificate instead.
   * Call after every change of certificates, custom domains or app names.
   */
  public synchronized void publish() {
    if (router == null) return;
    List<AppCertificates.Entry> all = new ArrayList<>();
    Map<String, List<String>> domainsOf = new java.util.HashMap<>();
    Map<String, String> exactOwners = exactOwners();
    if (acme != null) { // first: an added certificate wins a shared name
      for (IssuedCertificate issued : acme.served()) {
        all.add(new AppCertificates.Entry(issued, CertificateChecks.names(issued.leaf())));
      }
    }
    for (StoredCertificate c : store.all()) {
      List<X509Certificate> chain;
      try {
        chain = dev.pier.router.tls.PierCa.Pem.certificates(c.certPem());
        all.add(new AppCertificates.Entry(new IssuedCertificate(
            dev.pier.router.tls.PierCa.Pem.privateKey(c.keyPem()), chain), owned(c, domainsOf, exactOwners),
            othersUnder(c, exactOwners)));
      } catch (IllegalArgumentException e) {
        LOG.warn("certificate {} of app {} is not served: {}", c.id(), c.app(), e.getMessage());
      }
    }
    router.serve(all);
  }

  /** The names of {@code c} its app owns now. */
  private List<String> owned(StoredCertificate c, Map<String, List<String>> domainsOf,
      Map<String, String> exactOwners) {
    List<String> domains = domainsOf.computeIfAbsent(c.app(), customDomains);
    return c.names().stream().filter(n -> owns(c.app(), n, domains, exactOwners)).toList();
  }

  /** Other apps' exact domains that a wildcard name of {@code c} would cover: not presented for them. */
  private static java.util.Set<String> othersUnder(StoredCertificate c, Map<String, String> exactOwners) {
    java.util.Set<String> uncovered = new java.util.HashSet<>();
    exactOwners.forEach((name, app) -> {
      int dot = name.indexOf('.');
      if (!app.equals(c.app()) && dot > 0 && c.names().contains("*." + name.substring(dot + 1))) {
        uncovered.add(name);
      }
    });
    return uncovered;
  }

  /** Certificates that expire within this many days are marked {@code expiring}. */
  static final java.time.Duration EXPIRING = java.time.Duration.ofDays(30);

  private Map<String, Object> view(StoredCertificate c) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", c.id());
    v.put("names", c.names());
    v.put("issuer", c.issuer());
    java.time.Instant expires = chainExpiry(c);
    v.put("expires", expires.toString());
    v.put("state", state(expires));
    v.put("source", "uploaded");
    return v;
  }

  /** {@code expired}, {@code expiring} (within {@link #EXPIRING}) or {@code valid}. */
  private String state(java.time.Instant expires) {
    java.time.Instant now = clock.instant();
    if (!now.isBefore(expires)) return "expired";
    return now.plus(EXPIRING).isBefore(expires) ? "valid" : "expiring";
  }

  /** When the first certificate of {@code c}'s chain expires (the leaf's date unless an issuer's is earlier). */
  private static java.time.Instant chainExpiry(StoredCertificate c) {
    try {
      return dev.pier.router.tls.PierCa.Pem.certificates(c.certPem()).stream()
          .map(x -> x.getNotAfter().toInstant()).min(java.time.Instant::compareTo).orElse(c.notAfter());
    } catch (IllegalArgumentException e) {
      return c.notAfter();
    }
  }
}
