/**
 * HTTPS certificates of apps (#12): {@link dev.pier.certs.CertService} checks and stores the
 * certificates apps bring ({@code pier certs:add}) in {@link dev.pier.certs.CertStore} and hands
 * them to the router's {@link dev.pier.router.tls.AppCertificates}; names without one get a
 * certificate from Pier's own CA.
 */
package dev.pier.certs;
