/**
 * TLS on the router's TLS port: {@link dev.pier.router.tls.Sni} picks a certificate per
 * connection from the SNI name through a {@link dev.pier.router.tls.CertificateSource}; {@link
 * dev.pier.router.tls.PierCa} is the local certificate authority (like mkcert) that issues a
 * certificate for every app ({@code APP.DOMAIN} and {@code *.APP.DOMAIN}), and {@link
 * dev.pier.router.tls.PierCaCertificates} hands those out. Only the JDK TLS provider is used.
 */
package dev.pier.router.tls;
