package dev.pier.router.tls;

import io.netty.handler.ssl.SniHandler;
import io.netty.util.Mapping;

/** The TLS handler of a TLS-port connection: reads the SNI name, then encrypts with its context. */
public final class Sni {
  /** Largest ClientHello read (a bigger one closes the connection). */
  private static final int MAX_CLIENT_HELLO = 16 * 1024;
  /** How long the client has to send its ClientHello. */
  private static final long HELLO_TIMEOUT_MILLIS = 10_000;

  private Sni() {}

  /**
   * Returns a new handler for one connection: it replaces itself with an {@link
   * io.netty.handler.ssl.SslHandler}. A client that does not speak TLS gets its connection closed
   * (the error reaches the next handler, which closes).
   */
  public static SniHandler handler(CertificateSource source) {
    Mapping<String, io.netty.handler.ssl.SslContext> mapping = source::contextFor;
    return new SniHandler(mapping, MAX_CLIENT_HELLO, HELLO_TIMEOUT_MILLIS);
  }
}
