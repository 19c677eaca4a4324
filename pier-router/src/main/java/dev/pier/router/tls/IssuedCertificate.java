package dev.pier.router.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/** A private key and its certificate chain, leaf first. */
public record IssuedCertificate(PrivateKey key, List<X509Certificate> chain) {
  public IssuedCertificate {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) throw new IllegalArgumentException("empty chain");
  }

  /** OpenSSL (BoringSSL) when available; the JDK's TLS otherwise. */
  static final SslProvider PROVIDER = io.netty.handler.ssl.OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;

  public X509Certificate leaf() {
    return chain.getFirst();
  }

  /** ALPN: HTTP/2 for clients offering it, else HTTP/1.1 (also for clients sending no ALPN). */
  private static final io.netty.handler.ssl.ApplicationProtocolConfig ALPN =
      new io.netty.handler.ssl.ApplicationProtocolConfig(
          io.netty.handler.ssl.ApplicationProtocolConfig.Protocol.ALPN,
          io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
          io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
          io.netty.handler.ssl.ApplicationProtocolNames.HTTP_2,
          io.netty.handler.ssl.ApplicationProtocolNames.HTTP_1_1);

  /**
   * A server context that presents this chain and offers h2 and http/1.1: OpenSSL's API from
   * netty-tcnative (BoringSSL) when its native library loads on this machine, else the JDK's
   * provider.
   */
  public SslContext serverContext() {
    try {
      return SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
          .sslProvider(PROVIDER)
          .applicationProtocolConfig(ALPN)
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
    }
  }
}
