package dev.pier.api;

/**
 * {@code GET/POST/DELETE /apps/APP/certs/auto}: automatic certificates of an app's custom domains
 * (#12, ACME; {@code pier certs:auto}, {@code certs:auto:enable}, {@code certs:auto:disable}).
 */
public final class AcmeRoutes {
  private final dev.pier.app.AppService apps;
  private final dev.pier.acme.AcmeService acme;

  public AcmeRoutes(dev.pier.app.AppService apps, dev.pier.acme.AcmeService acme) {
    this.apps = apps;
    this.acme = acme;
  }

  public void register(ApiServlet api) {
    String path = AppRoutes.APP + "/certs/auto/?";
    api.on("GET", path, ex -> ex.json(200, acme.status(apps.get(ex.param(1)).name().value())));
    api.on("POST", path, ex -> ex.json(200, acme.enable(apps.get(ex.param(1)).name().value())));
    api.on("DELETE", path, ex -> ex.json(200, acme.disable(apps.get(ex.param(1)).name().value())));
  }
}
