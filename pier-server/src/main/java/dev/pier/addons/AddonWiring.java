package dev.pier.addons;

import dev.pier.app.AppService;
import dev.pier.config.ConfigService;
import dev.pier.datastores.Datastore;
import dev.pier.logs.LogBus;
import dev.pier.model.AppName;
import dev.pier.sandbox.Cgroups;
import dev.pier.sandbox.NetworkGuard;
import dev.pier.sandbox.Sandbox;
import dev.pier.store.Database;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The add-ons part of the server: its service, and the data stores it closes at stop. */
public final class AddonWiring implements AutoCloseable {
  /** Makes the data stores, one per kind. */
  @FunctionalInterface
  public interface Kinds {
    List<Datastore> make(Sandbox sandbox, Cgroups cgroups);
  }

  private final AddonService service;
  private final BackupService backups;
  private final List<Datastore> datastores;

  private AddonWiring(AddonService service, BackupService backups, List<Datastore> datastores) {
    this.service = service;
    this.backups = backups;
    this.datastores = datastores;
  }

  public static AddonWiring create(Database db, List<Datastore> datastores, AppService apps, ConfigService config,
      NetworkGuard guard, Path dataDir, boolean root, LogBus logs, InstantSource clock, AddonPorts ports) {
    Map<String, Datastore> kinds = new LinkedHashMap<>();
    for (Datastore ds : datastores) kinds.put(ds.kind(), ds);
    AddonStore store = new AddonStore(db);
    AddonService service = new AddonService(new AddonService.Deps(store, kinds, apps, config,
        ports, guard, dataDir.resolve("addons"), root, logs, clock), new AddonNames(new SecureRandom()));
    BackupService backups = new BackupService(store, new BackupStore(db), kinds, service, dataDir.resolve("backups"),
        logs, clock);
    service.onDestroy(backups::forget);
    return new AddonWiring(service, backups, datastores);
  }

  public AddonService service() {
    return service;
  }

  public BackupService backups() {
    return backups;
  }

  /** Puts right what a kill -9 left, starts the add-on servers, then checks for due backups each minute. */
  public void start() {
    service.recover();
    backups.recover();
    backups.start(java.time.Duration.ofSeconds(30));
  }

  /** The names of the add-ons attached to {@code app}. */
  public List<String> namesOf(AppName app) {
    return service.of(app).stream().map(i -> i.addon().name()).toList();
  }

  /** Stops every add-on server (they start again with Pier). */
  @Override
  public void close() {
    backups.close();
    for (Datastore ds : datastores) ds.close();
  }
}
