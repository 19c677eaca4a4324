package dev.pier.server;

import dev.pier.router.RouterServer;
import dev.pier.router.tls.PierCa;
import dev.pier.router.tls.PierCaCertificates;

/** Starts the router's HTTPS listener with Pier's own CA, kept in {@code DATA/tls/ca}. */
final class PierTls {
  private PierTls() {}

  /**
   * Opens (at first start: creates) the CA and listens for HTTPS on the settings' TLS port;
   * returns the CA, or null when HTTPS is off.
   */
  static PierCa start(RouterServer router, Settings settings) throws InterruptedException {
    if (settings.routerTlsPort() == Settings.TLS_OFF) return null;
    PierCa ca = PierCa.openOrCreate(settings.dataDir().resolve("tls").resolve("ca"),
        "Pier local CA (" + settings.domain() + ")");
    router.startTls(settings.routerTlsPort(), new PierCaCertificates(ca, settings.domain()));
    return ca;
  }
}
