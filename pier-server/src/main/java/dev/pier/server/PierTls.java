package dev.pier.server;

import dev.pier.router.RouterServer;
import dev.pier.router.tls.AppCertificates;
import dev.pier.router.tls.PierCa;
import dev.pier.router.tls.PierCaCertificates;

/**
 * The router's HTTPS listener: Pier's own CA (kept in {@code DATA/tls/ca}), its per-app
 * certificates, and the certificates apps bring in front of them. All null when HTTPS is off.
 */
record PierTls(PierCa ca, PierCaCertificates pierCa, AppCertificates apps) {
  /** Opens (at first start: creates) the CA and listens for HTTPS on the settings' TLS port. */
  static PierTls start(RouterServer router, Settings settings) throws InterruptedException {
    if (settings.routerTlsPort() == Settings.TLS_OFF) return new PierTls(null, null, null);
    PierCa ca = PierCa.openOrCreate(settings.dataDir().resolve("tls").resolve("ca"),
        "Pier local CA (" + settings.domain() + ")");
    // Only hosts the router routes get a certificate: apps' hosts and their custom domains.
    PierCaCertificates pierCa = new PierCaCertificates(ca, settings.domain(), host -> {
      dev.pier.model.RouteTable table = router.routes();
      if (table.byHost().containsKey(host)) return host;
      int dot = host.indexOf('.');
      return dot > 0 && table.byWildcard().containsKey(host.substring(dot + 1)) ? "*." + host.substring(dot + 1) : null;
    });
    AppCertificates apps = new AppCertificates(pierCa);
    router.startTls(settings.routerTlsPort(), apps);
    return new PierTls(ca, pierCa, apps);
  }
}
