package dev.pier.api;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.domains.DomainService;
import dev.pier.domains.DomainStore;
import dev.pier.errors.PlatformException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /apps/APP/domains}: the app's domains ({@code GET}, the built-in {@code APP.DOMAIN}
 * first, {@code "kind": "builtin"}, then its custom ones, {@code "kind": "custom"}), add one
 * ({@code POST {"hostname": "www.example.com"}}, 201); {@code DELETE
 * /apps/APP/domains/HOSTNAME} removes one.
 */
public final class DomainRoutes {
  private static final String PATH = AppRoutes.APP + "/domains";

  /** The wire form of one domain. */
  record Domain(String hostname, String kind, Instant createdAt) {}

  private final AppService apps;
  private final DomainService domains;

  public DomainRoutes(AppService apps, DomainService domains) {
    this.apps = apps;
    this.domains = domains;
  }

  public void register(ApiServlet api) {
    api.on("GET", PATH + "/?", ex -> {
      App app = apps.get(ex.param(1));
      List<Domain> all = new ArrayList<>();
      all.add(new Domain(apps.host(app.name()), "builtin", app.createdAt()));
      for (DomainStore.Domain d : domains.list(app.name())) all.add(custom(d));
      ex.json(200, all);
    });
    api.on("POST", PATH + "/?", ex -> {
      App app = apps.get(ex.param(1));
      var hostname = ex.body().path("hostname");
      if (!hostname.isTextual()) throw PlatformException.invalid("hostname is required, e.g. {\"hostname\": \"www.example.com\"}");
      ex.json(201, custom(domains.add(app.name(), hostname.asText())));
    });
    api.on("DELETE", PATH + "/([^/]+)", ex -> {
      App app = apps.get(ex.param(1));
      domains.remove(app.name(), ex.param(2));
      ex.json(200, java.util.Map.of("app", app.name().value(), "hostname", ex.param(2), "removed", true));
    });
  }

  private static Domain custom(DomainStore.Domain d) {
    return new Domain(d.hostname(), "custom", d.createdAt());
  }
}
