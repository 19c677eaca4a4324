package dev.pier.router.tls;

import io.netty.handler.ssl.SslContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Certificates from the {@link PierCa}: a name under the apps' domain ({@code APP.DOMAIN} or
 * {@code X.APP.DOMAIN}) gets APP's certificate, issued on first use and kept in memory, with the
 * names {@code APP.DOMAIN} and {@code *.APP.DOMAIN} (clients refuse wildcards right under
 * {@code localhost}, so there is no {@code *.DOMAIN} certificate), if the router serves
 * {@code APP.DOMAIN}. A custom domain the router serves gets a certificate for that name. A client
 * cannot make Pier issue certificates for apps or names it invents: any other name, or none, gets
 * the default certificate (for {@code DOMAIN}).
 */
public final class PierCaCertificates implements CertificateSource {
  /** Upper bound of cached app certificates (names are client-chosen). */
  static final int MAX_CACHED = 10_000;

  private final PierCa ca;
  private final String domain;
  private final SslContext fallback;
  private final java.util.function.UnaryOperator<String> served;
  private final Map<String, Entry> byApp = new ConcurrentHashMap<>();
  private final Map<String, Entry> byDomain = new ConcurrentHashMap<>();

  private record Entry(IssuedCertificate certificate, SslContext context) {}

  /** Certificates for every app name under {@code domain}, served or not, and no other name (tests). */
  public PierCaCertificates(PierCa ca, String domain) {
    this(ca, domain, host -> host.endsWith("." + domain.toLowerCase(Locale.ROOT)) ? host : null);
  }

  /**
   * Certificates for the names the router routes: {@code served} maps a lowercase host name to the
   * entry that routes it (the name itself, or {@code *.PARENT} for a wildcard domain), or null. A
   * certificate is issued once per entry, so clients cannot make Pier issue more than the table
   * holds.
   */
  public PierCaCertificates(PierCa ca, String domain, java.util.function.UnaryOperator<String> served) {
    this.ca = ca;
    this.served = served;
    this.domain = domain.toLowerCase(Locale.ROOT);
    this.fallback = ca.issue(List.of(this.domain)).serverContext();
  }

  /** The default context: for names Pier has no certificate for. */
  public SslContext fallback() {
    return fallback;
  }

  /**
   * The app label of {@code hostName} under the domain ({@code shop} for {@code shop.DOMAIN} and
   * {@code api.shop.DOMAIN}), or null.
   */
  public String appOf(String hostName) {
    if (hostName == null) return null;
    String h = hostName.toLowerCase(Locale.ROOT);
    if (!h.endsWith("." + domain)) return null;
    String prefix = h.substring(0, h.length() - domain.length() - 1);
    String app = prefix.substring(prefix.lastIndexOf('.') + 1);
    return app.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?") ? app : null;
  }

  @Override
  public SslContext contextFor(String hostName) {
    Entry entry = entryFor(hostName);
    return entry == null ? fallback : entry.context();
  }

  /** The certificate {@code hostName} gets, or null for the default one. */
  public java.security.cert.X509Certificate certificateFor(String hostName) {
    Entry entry = entryFor(hostName);
    return entry == null ? null : entry.certificate().leaf();
  }

  private Entry entryFor(String hostName) {
    if (hostName == null) return null;
    String name = hostName.toLowerCase(Locale.ROOT);
    if (!HOST.matcher(name).matches()) return null; // ports, trailing dots, spaces: no certificate
    String app = appOf(name);
    if (app != null) return served.apply(app + "." + domain) != null ? entry(app) : null; // an app that exists
    String entry = served.apply(name);
    if (entry == null) return null;
    Entry known = byDomain.get(entry);
    if (known != null) return known;
    if (byDomain.size() >= MAX_CACHED) byDomain.clear();
    return byDomain.computeIfAbsent(entry, n -> {
      IssuedCertificate c = ca.issue(List.of(n));
      return new Entry(c, c.serverContext());
    });
  }

  private static final java.util.regex.Pattern HOST =
      java.util.regex.Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

  /** The certificate of {@code app} (issued now if it has none yet): for {@code pier certs}. */
  public java.security.cert.X509Certificate certificateOf(String app) {
    return entry(app).certificate().leaf();
  }

  private Entry entry(String app) {
    Entry known = byApp.get(app);
    if (known != null) return known;
    if (byApp.size() >= MAX_CACHED) byApp.clear();
    return byApp.computeIfAbsent(app, a -> {
      IssuedCertificate c = ca.issue(List.of(a + "." + domain, "*." + a + "." + domain));
      return new Entry(c, c.serverContext());
    });
  }
}
