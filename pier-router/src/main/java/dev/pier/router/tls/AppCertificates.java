package dev.pier.router.tls;

import io.netty.handler.ssl.SslContext;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Certificates apps brought ({@code pier certs:add}) in front of another source: a name gets the
 * certificate that lists it exactly, else one whose wildcard ({@code *.example.com}) covers it,
 * else whatever {@code fallback} gives (Pier's CA). {@link #replace} swaps the whole set at once.
 */
public final class AppCertificates implements CertificateSource {
  private final CertificateSource fallback;
  private volatile Map<String, SslContext> byName = Map.of();

  public AppCertificates(CertificateSource fallback) {
    this.fallback = fallback;
  }

  /** Serves {@code certificates} from now on (a later one wins for a name listed twice). */
  public void replace(List<IssuedCertificate> certificates) {
    Map<String, SslContext> next = new HashMap<>();
    for (IssuedCertificate c : certificates) {
      SslContext context = c.serverContext();
      for (String name : CertificateChecks.names(c.leaf())) next.put(name, context);
    }
    byName = Map.copyOf(next);
  }

  @Override
  public SslContext contextFor(String hostName) {
    if (hostName != null) {
      Map<String, SslContext> names = byName;
      String h = hostName.toLowerCase(Locale.ROOT);
      SslContext exact = names.get(h);
      if (exact != null) return exact;
      int dot = h.indexOf('.');
      if (dot > 0) {
        SslContext wildcard = names.get("*" + h.substring(dot));
        if (wildcard != null) return wildcard;
      }
    }
    return fallback.contextFor(hostName);
  }
}
