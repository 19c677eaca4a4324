package dev.pier.router.tls;

import io.netty.handler.ssl.SslContext;

/** Gives the server TLS context for a connection's SNI name. */
@FunctionalInterface
public interface CertificateSource {
  /**
   * Returns the context whose certificate the client gets when it asks for {@code hostName}
   * (lower case; null when the client sent no SNI name). Never null: unknown names get a default.
   */
  SslContext contextFor(String hostName);
}
