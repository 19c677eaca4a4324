package dev.pier.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.addons.Addon;
import dev.pier.addons.AddonService;
import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.datastores.Plan;
import dev.pier.datastores.Status;
import dev.pier.errors.PlatformException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Add-ons: {@code GET /addon-plans} (kinds and plans); {@code GET /addons} (all); {@code GET
 * /apps/APP/addons} (the app's); {@code POST /apps/APP/addons {"kind", "plan", "name"}} (create and
 * attach, 201); {@code GET /addons/NAME} (with the server's status); {@code DELETE
 * /addons/NAME?confirm=APP[&force=true]}; {@code POST /addons/NAME/attachments {"app"}}; {@code
 * DELETE /addons/NAME/attachments/APP}; {@code POST /addons/NAME/rotate} (new password, new
 * releases of its apps). Credentials never appear here: apps get them as config vars.
 */
public final class AddonRoutes {
  private static final String ADDON = "/addons/([^/]+)";

  /** The wire form of one add-on. {@code status} only in {@code GET /addons/NAME}. */
  record AddonView(String name, String kind, String plan, String state, int port, String ownerApp,
      Instant createdAt, List<AttachmentView> attachments, StatusView status) {}

  record AttachmentView(String app, String alias, List<String> configVars, Instant createdAt) {}

  /**
   * {@code storageBytes}: the plan's storage; {@code storageEnforced}: whether writes past it fail
   * (the add-on's own disk), false on servers without loop disks.
   */
  record StatusView(String state, int connections, long dataBytes, long memoryBytes, String version, int restarts,
      String message, long storageBytes, boolean storageEnforced) {}

  record PlanView(String name, long memoryBytes, int maxConnections, long storageBytes) {}

  private final AppService apps;
  private final AddonService addons;

  public AddonRoutes(AppService apps, AddonService addons) {
    this.apps = apps;
    this.addons = addons;
  }

  public void register(ApiServlet api) {
    api.on("GET", "/addon-plans/?", ex -> {
      Map<String, List<PlanView>> all = new LinkedHashMap<>();
      addons.plans().forEach((kind, plans) -> all.put(kind, plans.stream().map(AddonRoutes::plan).toList()));
      ex.json(200, all);
    });
    api.on("GET", "/addons/?", ex -> ex.json(200, addons.all().stream().map(i -> view(i, false)).toList()));
    api.on("GET", AppRoutes.APP + "/addons/?", ex -> {
      App app = apps.get(ex.param(1));
      ex.json(200, addons.of(app.name()).stream().map(i -> view(i, false)).toList());
    });
    api.on("POST", AppRoutes.APP + "/addons/?", ex -> {
      App app = apps.get(ex.param(1));
      JsonNode body = ex.body();
      JsonNode kind = body.path("kind");
      if (!kind.isTextual()) throw PlatformException.invalid("kind is required, e.g. {\"kind\": \"postgres\"}");
      ex.json(201, view(addons.create(app.name(), kind.asText(), text(body, "plan"), text(body, "name"), ex.user), false));
    });
    api.on("GET", ADDON + "/?", ex -> ex.json(200, view(addons.info(ex.param(1)), true)));
    api.on("DELETE", ADDON + "/?", ex -> {
      String name = ex.param(1);
      addons.destroy(name, ex.query("confirm", ""), "true".equals(ex.query("force", "false")), ex.user);
      ex.json(200, Map.of("name", name, "destroyed", true));
    });
    api.on("POST", ADDON + "/rotate/?", ex -> ex.json(200, view(addons.rotate(ex.param(1), ex.user), false)));
    api.on("POST", ADDON + "/attachments/?", ex -> {
      JsonNode app = ex.body().path("app");
      if (!app.isTextual()) throw PlatformException.invalid("app is required, e.g. {\"app\": \"shop\"}");
      ex.json(201, view(addons.attach(ex.param(1), apps.get(app.asText()).name(), ex.user), false));
    });
    api.on("DELETE", ADDON + "/attachments/([^/]+)", ex -> {
      App app = apps.get(ex.param(2));
      addons.detach(ex.param(1), app.name(), ex.user);
      ex.json(200, Map.of("name", ex.param(1), "app", app.name().value(), "detached", true));
    });
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.path(field);
    if (v.isMissingNode() || v.isNull()) return null;
    if (!v.isTextual()) throw PlatformException.invalid(field + " must be a string");
    return v.asText();
  }

  private AddonView view(AddonService.Info info, boolean withStatus) {
    Addon a = info.addon();
    List<AttachmentView> attachments = new ArrayList<>();
    for (Addon.Attachment at : info.attachments()) {
      attachments.add(new AttachmentView(at.app(), at.alias(), addons.varNames(a, at), at.createdAt()));
    }
    StatusView status = null;
    if (withStatus) {
      Status s = addons.status(a);
      AddonService.Storage storage = addons.storage(a);
      status = new StatusView(s.state(), s.connections(), s.dataBytes(), s.memoryBytes(), s.version(), s.restarts(),
          s.message(), storage.bytes(), storage.enforced());
    }
    return new AddonView(a.name(), a.kind(), a.plan(), a.state(), a.port(), a.ownerApp(), a.createdAt(), attachments,
        status);
  }

  private static PlanView plan(Plan p) {
    return new PlanView(p.name(), p.memoryBytes(), p.maxConnections(), p.storageBytes());
  }
}
