package dev.pier.api;

import dev.pier.router.tls.PierCa;
import java.util.Map;

/**
 * {@code GET /certs/ca}: the root certificate of Pier's own CA ({@code pier certs:ca}); {@code
 * GET/POST /apps/APP/certs} and {@code DELETE /apps/APP/certs/ID}: an app's HTTPS certificates.
 */
public final class CertRoutes {
  private final PierCa ca;
  private final dev.pier.app.AppService apps;
  private final dev.pier.certs.CertService certs;

  /** {@code ca} is null when the router has no HTTPS listener. */
  public CertRoutes(PierCa ca, dev.pier.app.AppService apps, dev.pier.certs.CertService certs) {
    this.ca = ca;
    this.apps = apps;
    this.certs = certs;
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
    String path = AppRoutes.APP + "/certs";
    api.on("GET", path + "/?", ex -> ex.json(200, certs.list(apps.get(ex.param(1)).name().value())));
    api.on("POST", path + "/?", ex -> {
      String app = apps.get(ex.param(1)).name().value();
      com.fasterxml.jackson.databind.JsonNode body = ex.body();
      ex.json(201, certs.add(app, body.path("certificate").asText(null), body.path("key").asText(null)));
    });
    api.on("DELETE", path + "/([0-9]+)", ex -> {
      String app = apps.get(ex.param(1)).name().value();
      certs.remove(app, Long.parseLong(ex.param(2)));
      ex.json(200, Map.of("removed", Long.parseLong(ex.param(2))));
    });
  }
}
