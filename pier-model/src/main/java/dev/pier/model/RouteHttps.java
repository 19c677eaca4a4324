package dev.pier.model;

/**
 * An app's HTTPS features as the router applies them ({@code pier features:enable}).
 *
 * @param httpsOnly plain-HTTP requests to the app get a 308 redirect to the same URL on the
 *     router's HTTPS port (except ACME HTTP-01 challenges under {@code /.well-known/acme-challenge/})
 * @param hsts HTTPS responses carry {@code Strict-Transport-Security: max-age=31536000}
 */
public record RouteHttps(boolean httpsOnly, boolean hsts) {
  /** Neither feature: plain HTTP and HTTPS are served alike. */
  public static final RouteHttps DEFAULT = new RouteHttps(false, false);
}
