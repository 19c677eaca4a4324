package dev.pier.router.tls;

import io.netty.handler.ssl.SslContext;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.InstantSource;
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
 * <p>A certificate whose chain has expired (the leaf or any issuer in it) is not presented: its
 * names get the fallback's certificate, and the log says so once per certificate.
 */
public final class AppCertificates implements CertificateSource {
  private static final Logger LOG = LoggerFactory.getLogger(AppCertificates.class);

  private final CertificateSource fallback;
  private final InstantSource clock;
  private volatile Map<String, Served> byName = Map.of();
  private final Set<Served> warned = ConcurrentHashMap.newKeySet();

  /** A certificate with the names it is presented for (a subset of the names it lists). */
  public record Entry(IssuedCertificate certificate, List<String> names) {
    public Entry {
      names = List.copyOf(names);
    }
  }

  /** One certificate as served: its context, until when its whole chain is valid, and what to log. */
  private record Served(SslContext context, Instant expires, String label) {}

  public AppCertificates(CertificateSource fallback) {
    this(fallback, InstantSource.system());
  }

  public AppCertificates(CertificateSource fallback, InstantSource clock) {
    this.fallback = fallback;
    this.clock = clock;
  }

  /** Serves {@code certificates} for every name each lists (a later one wins for a name listed twice). */
  public void replace(List<IssuedCertificate> certificates) {
    serve(certificates.stream().map(c -> new Entry(c, CertificateChecks.names(c.leaf()))).toList());
  }

  /** Serves each certificate of {@code entries} for its entry's names only. */
  public void serve(List<Entry> entries) {
    Map<String, Served> next = new HashMap<>();
    for (Entry e : entries) {
      if (e.names().isEmpty()) continue;
      IssuedCertificate c = e.certificate();
      Instant expires = c.chain().stream().map(X509Certificate::getNotAfter)
          .map(java.util.Date::toInstant).min(Instant::compareTo).orElseThrow();
      Served served = new Served(c.serverContext(), expires,
          String.join(", ", CertificateChecks.names(c.leaf())) + " (" + c.leaf().getIssuerX500Principal().getName() + ")");
      for (String name : e.names()) next.put(name.toLowerCase(Locale.ROOT), served);
    }
    byName = Map.copyOf(next);
    warned.retainAll(next.values());
  }

  @Override
  public SslContext contextFor(String hostName) {
    if (hostName != null) {
      Map<String, Served> names = byName;
      String h = hostName.toLowerCase(Locale.ROOT);
      Served found = names.get(h);
      if (found == null) {
        int dot = h.indexOf('.');
        if (dot > 0) found = names.get("*" + h.substring(dot));
      }
      if (found != null) {
        if (clock.instant().isBefore(found.expires())) return found.context();
        if (warned.add(found)) {
          LOG.warn("the certificate for {} expired on {} (its chain's first expiry): presenting Pier's CA"
              + " certificate instead; add a renewed one with pier certs:add", found.label(), found.expires());
        }
      }
    }
    return fallback.contextFor(hostName);
  }
}
