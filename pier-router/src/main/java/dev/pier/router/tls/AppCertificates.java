package dev.pier.router.tls;

import io.netty.handler.ssl.SslContext;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Certificates apps brought ({@code pier certs:add}) in front of another source: a name gets the
 * certificate that lists it exactly, else one whose wildcard ({@code *.example.com}) covers it,
 * else whatever {@code fallback} gives (Pier's CA). {@link #replace} swaps the whole set at once.
 *
 * <p>A certificate whose chain has expired (the leaf or any issuer in it) is not presented: a name
 * it lists exactly gets a valid wildcard certificate covering it if there is one, else the
 * fallback's certificate, and the log says so once per certificate (the same certificate served
 * again by a later {@link #serve} is not warned about again).
 */
public final class AppCertificates implements CertificateSource {
  private static final Logger LOG = LoggerFactory.getLogger(AppCertificates.class);

  private final CertificateSource fallback;
  private final InstantSource clock;
  private volatile Map<String, List<Served>> byName = Map.of();
  private final Set<String> warned = ConcurrentHashMap.newKeySet();
  private final java.util.function.Consumer<String> warnings;

  /**
   * A certificate with the names it is presented for (a subset of the names it lists), and names
   * its wildcards must not cover ({@code uncovered}: another app's exact domains, which get their
   * own certificate or the fallback's).
   */
  public record Entry(IssuedCertificate certificate, List<String> names, Set<String> uncovered) {
    public Entry {
      names = List.copyOf(names);
      uncovered = Set.copyOf(uncovered);
    }

    public Entry(IssuedCertificate certificate, List<String> names) {
      this(certificate, names, Set.of());
    }
  }

  /**
   * One certificate as served: its context, until when its whole chain is valid, what to log, and
   * the SHA-256 fingerprint of its leaf (the same certificate whatever context was built for it).
   */
  private record Served(SslContext context, Instant expires, String label, String fingerprint,
      Set<String> uncovered) {}

  public AppCertificates(CertificateSource fallback) {
    this(fallback, InstantSource.system());
  }

  public AppCertificates(CertificateSource fallback, InstantSource clock) {
    this(fallback, clock, LOG::warn);
  }

  /** {@code warnings} gets each expiry warning (the log, outside tests). */
  AppCertificates(CertificateSource fallback, InstantSource clock, java.util.function.Consumer<String> warnings) {
    this.fallback = fallback;
    this.clock = clock;
    this.warnings = warnings;
  }

  /** Serves {@code certificates} for every name each lists (a later one wins for a name listed twice). */
  public void replace(List<IssuedCertificate> certificates) {
    serve(certificates.stream().map(c -> new Entry(c, CertificateChecks.names(c.leaf()))).toList());
  }

  /** Serves each certificate of {@code entries} for its entry's names only. */
  public void serve(List<Entry> entries) {
    Map<String, List<Served>> next = new HashMap<>();
    for (Entry e : entries) {
      if (e.names().isEmpty()) continue;
      IssuedCertificate c = e.certificate();
      Instant expires = c.chain().stream().map(X509Certificate::getNotAfter)
          .map(java.util.Date::toInstant).min(Instant::compareTo).orElseThrow();
      Served served = new Served(c.serverContext(), expires,
          String.join(", ", CertificateChecks.names(c.leaf())) + " (" + c.leaf().getIssuerX500Principal().getName() + ")",
          fingerprint(c.leaf()), e.uncovered().stream().map(n -> n.toLowerCase(Locale.ROOT))
              .collect(java.util.stream.Collectors.toUnmodifiableSet()));
      // later entries first: a later one wins for a name listed twice while it is valid
      for (String name : e.names()) next.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(0, served);
    }
    Map<String, List<Served>> frozen = new HashMap<>();
    next.forEach((name, list) -> frozen.put(name, List.copyOf(list)));
    byName = Map.copyOf(frozen);
    warned.retainAll(next.values().stream().flatMap(List::stream).map(Served::fingerprint).toList());
  }

  private static String fingerprint(X509Certificate leaf) {
    try {
      return java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded()));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot fingerprint a certificate: " + e.getMessage(), e);
    }
  }

  @Override
  public SslContext contextFor(String hostName) {
    if (hostName != null) {
      Map<String, List<Served>> names = byName;
      String h = hostName.toLowerCase(Locale.ROOT);
      SslContext own = valid(names.get(h), null);
      if (own != null) return own;
      int dot = h.indexOf('.');
      if (dot > 0 && !h.startsWith("*")) {
        SslContext wildcard = valid(names.get("*" + h.substring(dot)), h);
        if (wildcard != null) return wildcard;
      }
    }
    return fallback.contextFor(hostName);
  }

  /**
   * The context of the first of {@code candidates} whose chain is valid now (and, for a wildcard
   * looked up for {@code covered}, that does not leave that name out); null if none (an expired
   * one is warned about once). An expired certificate thus never hides a valid one for its name
   * (an added one that expired, an automatic one that is still valid).
   */
  private SslContext valid(List<Served> candidates, String covered) {
    if (candidates == null) return null;
    for (Served found : candidates) {
      if (covered != null && found.uncovered().contains(covered)) continue;
      if (clock.instant().isBefore(found.expires())) return found.context();
      warnExpired(found);
    }
    return null;
  }

  private void warnExpired(Served found) {
    if (warned.add(found.fingerprint())) {
      warnings.accept("the certificate for " + found.label() + " expired on " + found.expires()
          + " (its chain's first expiry): presenting another certificate for its names (a valid"
          + " wildcard one, else Pier's CA's) instead; add a renewed one with pier certs:add");
    }
  }
}
