/**
 * Automatic HTTPS certificates over ACME (RFC 8555, #12 {@code pier certs:auto}): for each custom
 * domain of an app that turned them on, {@link dev.pier.acme.AcmeService} orders a certificate
 * from the CA at the operator's {@code --acme-directory} URL (Let's Encrypt, or pebble in tests)
 * with the HTTP-01 challenge, which the router answers itself ({@link
 * dev.pier.router.acme.Http01Challenges}). Issued certificates are stored ({@link
 * dev.pier.acme.AcmeStore}, V25) and served by SNI like uploaded ones; they are renewed when
 * {@link dev.pier.acme.RenewalPolicy} says so, on a virtual thread, never on the router's event
 * loops. Failures are recorded with their reason and retried with backoff; meanwhile the name
 * keeps the certificate it had (the previous one, or Pier's CA's).
 *
 * <p>Crash safety: nothing is written while an order runs; its outcome is written in one
 * transaction at the end. A kill -9 mid-order leaves the previous row, so the next start orders
 * again.
 */
package dev.pier.acme;
