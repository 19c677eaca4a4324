package dev.pier.api;

import dev.pier.router.tls.PierCa;
import java.util.Map;

/** {@code GET /certs/ca}: the root certificate of Pier's own CA ({@code pier certs:ca}). */
public final class CertRoutes {
  private final PierCa ca;

  /** {@code ca} is null when the router has no HTTPS listener. */
  public CertRoutes(PierCa ca) {
    this.ca = ca;
  }

  public void register(ApiServlet api) {
    api.on("GET", "/certs/ca/?", ex -> {
      if (ca == null) {
        throw dev.pier.errors.PlatformException.notFound(
            "HTTPS is off on this server (pier server --router-tls-port off)");
      }
      ex.json(200, Map.of("pem", ca.rootPem(),
          "subject", ca.certificate().getSubjectX500Principal().getName(),
          "expires", ca.certificate().getNotAfter().toInstant().toString()));
    });
  }
}
