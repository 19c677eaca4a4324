package dev.pier.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.addons.BackupService;
import dev.pier.addons.BackupStore;
import dev.pier.errors.PlatformException;
import java.time.Instant;

/**
 * Backups of an add-on: {@code GET /addons/NAME/backups}; {@code POST /addons/NAME/backups}
 * (capture now, 201); {@code POST /addons/NAME/backups/ID/restore?confirm=APP} ({@code latest}
 * for the newest); {@code GET|PUT /addons/NAME/backup-schedule {"at": "02:00" or null, "keep": 5}};
 * {@code POST /apps/APP/rollback-data {"version": 3, "confirm": "APP"}} (the snapshots taken
 * before the first release phase after v3 restored; then {@code POST /apps/APP/rollback}).
 */
public final class AddonBackupRoutes {
  private static final String ADDON = "/addons/([^/]+)";

  record BackupView(String id, String addon, String state, String trigger, Integer release, long sizeBytes,
      Instant createdAt) {}

  private final BackupService backups;
  private final dev.pier.addons.AddonService addons;
  private final dev.pier.app.AppService apps;

  public AddonBackupRoutes(BackupService backups, dev.pier.addons.AddonService addons, dev.pier.app.AppService apps) {
    this.backups = backups;
    this.addons = addons;
    this.apps = apps;
  }

  public void register(ApiServlet api) {
    api.on("GET", ADDON + "/backups/?", ex -> ex.json(200, backups.list(ex.param(1)).stream().map(AddonBackupRoutes::view).toList()));
    api.on("POST", ADDON + "/backups/?", ex -> ex.json(201, view(backups.capture(ex.param(1), "manual", null, ex.user))));
    api.on("POST", ADDON + "/backups/([^/]+)/restore", ex -> {
      String id = ex.param(2).equals("latest") ? null : ex.param(2);
      ex.json(200, view(backups.restore(ex.param(1), id, ex.query("confirm", ""), ex.user)));
    });
    // pier rollback vN --with-data: first the data as vN left it, then (a second call) vN's code.
    api.on("POST", AppRoutes.APP + "/rollback-data", ex -> {
      dev.pier.app.App app = apps.get(ex.param(1));
      JsonNode body = ex.body();
      if (!body.path("version").canConvertToInt()) throw PlatformException.invalid("version is required, e.g. {\"version\": 3}");
      if (!app.name().value().equals(body.path("confirm").asText())) {
        throw PlatformException.invalid("rolling back with data replaces the data of " + app.name()
            + "'s PostgreSQL add-ons: confirm with --confirm " + app.name());
      }
      int version = body.path("version").asInt();
      backups.restoreForRollback(addons.of(app.name()), app.name().value(), version, ex.user);
      ex.json(200, java.util.Map.of("app", app.name().value(), "version", version, "restored", true));
    });
    api.on("GET", ADDON + "/backup-schedule", ex -> ex.json(200, backups.schedule(ex.param(1))));
    api.on("PUT", ADDON + "/backup-schedule", ex -> {
      JsonNode body = ex.body();
      JsonNode at = body.path("at");
      if (!at.isNull() && !at.isMissingNode() && !at.isTextual()) throw PlatformException.invalid("at must be \"HH:MM\" or null");
      JsonNode keep = body.path("keep");
      if (!keep.isMissingNode() && !keep.isInt()) throw PlatformException.invalid("keep must be a whole number");
      ex.json(200, backups.setSchedule(ex.param(1), at.isTextual() ? at.asText() : null, keep.isInt() ? keep.asInt() : null));
    });
  }

  static BackupView view(BackupStore.Backup b) {
    return new BackupView(b.id(), b.addon(), b.state(), b.trigger(), b.release(), b.sizeBytes(), b.createdAt());
  }

}
