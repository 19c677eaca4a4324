package dev.pier.addons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.app.AppService;
import dev.pier.config.ConfigService;
import dev.pier.config.ConfigStore;
import dev.pier.deploy.Platform;
import dev.pier.release.ReleaseService;
import dev.pier.sandbox.PortRange;
import dev.pier.store.DataDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backups of add-ons: files under DATA/backups, rows in the real store, a fake PostgreSQL. */
class BackupServiceTest {
  @TempDir Path tmp;
  private Platform p;
  private final FakeDatastore postgres = new FakeDatastore("postgres");
  private final FakeDatastore redis = new FakeDatastore("redis");
  private AddonService addons;
  private BackupService backups;
  private Path dir;

  @BeforeEach
  void open() {
    p = new Platform(tmp);
    AppService apps = new AppService(p.apps, new DataDirs(tmp.resolve("data")), p.logs, p.clock,
        new AppService.Urls("pier.test", 8080, "http://127.0.0.1:5000"));
    ConfigService config = new ConfigService(new ConfigStore(p.db), apps, new ReleaseService(p.releases), p.releases,
        p.rollout, p.versions, p.logs, p.clock);
    Map<String, dev.pier.datastores.Datastore> kinds = Map.of("postgres", postgres, "redis", redis);
    AddonStore store = new AddonStore(p.db);
    addons = new AddonService(new AddonService.Deps(store, kinds, apps, config,
        new AddonPorts(new PortRange(41600, 41699)), new RecordingGuard(), tmp.resolve("data/addons"), true, p.logs,
        p.clock), new AddonNames(new Random(3)));
    dir = tmp.resolve("data/backups");
    backups = new BackupService(store, new BackupStore(p.db), kinds, addons, dir, p.logs, p.clock);
    addons.onDestroy(backups::forget);
    p.app("shop");
    p.app("blog");
    addons.create(new dev.pier.model.AppName("shop"), "postgres", null, "shop-db", "admin");
    addons.create(new dev.pier.model.AppName("blog"), "postgres", null, "blog-db", "admin");
  }

  @AfterEach
  void close() {
    p.close();
  }

  @Test
  void aRestoreBringsBackWhatTheBackupHeldAndOnlyThatAddOnsBackups() {
    postgres.data.put("shop-db", "rows 1,2");
    BackupStore.Backup b1 = backups.capture("shop-db", "manual", null, "admin");
    postgres.data.put("shop-db", "rows 1,2,3");
    backups.capture("blog-db", "manual", null, "admin");

    assertThat(b1.id()).isEqualTo("b001");
    assertThat(Files.exists(dir.resolve("shop-db/b001.dump"))).isTrue();
    assertThat(backups.list("shop-db")).extracting(BackupStore.Backup::sizeBytes).containsExactly(8L);

    assertThatThrownBy(() -> backups.restore("shop-db", "b001", "blog", "admin"))
        .hasMessage("restoring a backup replaces the data of shop-db: confirm with --confirm shop");
    assertThatThrownBy(() -> backups.restore("shop-db", "b007", "shop", "admin")).hasMessage("no backup b007 of shop-db");
    backups.capture("blog-db", "manual", null, "admin");
    assertThatThrownBy(() -> backups.restore("shop-db", "b002", "shop", "admin"))
        .as("b002 is blog-db's").hasMessage("no backup b002 of shop-db");
    assertThat(postgres.data.get("shop-db")).isEqualTo("rows 1,2,3");

    backups.restore("shop-db", "b001", "shop", "admin");

    assertThat(postgres.data.get("shop-db")).isEqualTo("rows 1,2");
  }

  @Test
  void backupFilesAndTheirFoldersAreReadableByRootOnly() throws Exception {
    BackupStore.Backup b = backups.capture("shop-db", "manual", null, "admin");

    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("shop-db/" + b.id() + ".dump")))).isEqualTo("rw-------");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("shop-db"))))
        .isEqualTo("rwx------");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
  }

  @Test
  void aFailedScheduledBackupIsTriedAgainAnHourLaterNotAtEveryCheck() {
    backups.setSchedule("shop-db", "02:00", null);
    postgres.failBackup = true;
    java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
    postgres.onBackup = () -> failures.incrementAndGet();
    p.clock.set(Instant.parse("2026-12-08T02:00:30Z"));
    backups.runDue();
    p.clock.advance(Duration.ofSeconds(30));
    backups.runDue();
    p.clock.advance(Duration.ofMinutes(30));
    backups.runDue();
    assertThat(failures).as("tries within the hour").hasValue(1);

    postgres.failBackup = false;
    p.clock.advance(Duration.ofMinutes(31));
    backups.runDue();
    assertThat(failures).hasValue(2);
    assertThat(backups.list("shop-db")).extracting(BackupStore.Backup::trigger).containsExactly("scheduled");
  }

  @Test
  void onlyTheLastKeepBackupsAreKeptAndAFailedCaptureLeavesNoRowOrFile() {
    backups.setSchedule("shop-db", null, 2);
    for (int i = 0; i < 4; i++) backups.capture("shop-db", "manual", null, "admin");
    assertThat(backups.list("shop-db")).extracting(BackupStore.Backup::id).containsExactly("b003", "b004");
    assertThat(dir.resolve("shop-db").toFile().list()).containsExactlyInAnyOrder("b003.dump", "b004.dump");

    postgres.failBackup = true;
    assertThatThrownBy(() -> backups.capture("shop-db", "manual", null, "admin"))
        .hasMessage("could not back up shop-db: pg_dump: no space left on the backup disk");
    assertThat(backups.list("shop-db")).extracting(BackupStore.Backup::id).containsExactly("b003", "b004");
    assertThat(dir.resolve("shop-db").toFile().list()).containsExactlyInAnyOrder("b003.dump", "b004.dump");
  }

  @Test
  void aScheduledBackupRunsOncePerDayAfterItsTimeUtc() {
    backups.setSchedule("shop-db", "02:00", null);
    assertThatThrownBy(() -> backups.setSchedule("shop-db", "25:00", null))
        .hasMessage("invalid time '25:00': use HH:MM (UTC), e.g. 02:00");
    p.clock.set(Instant.parse("2026-12-08T01:59:00Z"));
    backups.runDue();
    assertThat(backups.list("shop-db")).isEmpty();

    p.clock.set(Instant.parse("2026-12-08T02:00:30Z"));
    backups.runDue();
    p.clock.advance(Duration.ofHours(3));
    backups.runDue();
    assertThat(backups.list("shop-db")).extracting(BackupStore.Backup::trigger).containsExactly("scheduled");
    assertThat(backups.list("blog-db")).isEmpty();

    p.clock.set(Instant.parse("2026-12-09T02:01:00Z"));
    backups.runDue();
    assertThat(backups.list("shop-db")).hasSize(2);
  }

  @Test
  void aReleasePhaseIsPrecededByASnapshotThatRollbackWithDataRestores() throws Exception {
    var shop = p.apps.find(new dev.pier.model.AppName("shop")).orElseThrow();
    var phase = new SnapshotBeforeRelease((app, release, out) -> {
      if (dev.pier.deploy.ReleasePhase.declared(release)) postgres.data.put("shop-db", "migrated by v" + release.version());
      return java.util.Optional.empty();
    }, addons, backups);
    postgres.data.put("shop-db", "data of v1");
    var v2 = p.release(shop, Map.of("web", "node server.js", "release", "node migrate.js"));
    var v3 = p.release(shop, Map.of("web", "node server.js"));

    assertThat(phase.run(shop, v2, dev.pier.build.BuildOutput.NONE)).isEmpty();
    assertThat(phase.run(shop, v3, dev.pier.build.BuildOutput.NONE)).as("no release phase, no snapshot").isEmpty();

    assertThat(backups.list("shop-db")).extracting(BackupStore.Backup::trigger, BackupStore.Backup::release)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("release", v2.version()));
    assertThat(postgres.data.get("shop-db")).isEqualTo("migrated by v" + v2.version());
    assertThatThrownBy(() -> backups.restoreForRollback(addons.of(shop.name()), "shop", v2.version(), "admin"))
        .hasMessageStartingWith("no snapshot of shop-db was taken after v" + v2.version());

    backups.restoreForRollback(addons.of(shop.name()), "shop", v2.version() - 1, "admin");

    assertThat(postgres.data.get("shop-db")).isEqualTo("data of v1");
    postgres.failBackup = true;
    assertThat(phase.run(shop, v2, dev.pier.build.BuildOutput.NONE)).as("a failed snapshot fails the release")
        .hasValueSatisfying(why -> assertThat(why).startsWith("snapshot before release failed: could not back up shop-db"));
  }

  @Test
  void anAppAttachedToAnotherAppsDatabaseNeitherSnapshotsNorRollsItBackAndSnapshotsSurviveManualBackups()
      throws Exception {
    var blog = p.apps.find(new dev.pier.model.AppName("blog")).orElseThrow();
    addons.attach("shop-db", blog.name(), "admin");
    var phase = new SnapshotBeforeRelease((app, release, out) -> {
      if (dev.pier.deploy.ReleasePhase.declared(release)) {
        postgres.data.put("shop-db", "changed by blog v" + release.version());
        postgres.data.put("blog-db", "migrated by blog v" + release.version());
      }
      return java.util.Optional.empty();
    }, addons, backups);
    postgres.data.put("shop-db", "shop's rows");
    postgres.data.put("blog-db", "blog's rows");
    var v2 = p.release(blog, Map.of("web", "node server.js", "release", "node migrate.js"));

    assertThat(phase.run(blog, v2, dev.pier.build.BuildOutput.NONE)).isEmpty();

    assertThat(backups.list("shop-db")).as("shop's database is not blog's to snapshot").isEmpty();
    assertThat(backups.list("blog-db")).extracting(BackupStore.Backup::app).containsExactly("blog");
    postgres.data.put("shop-db", "shop's newer rows");
    backups.restoreForRollback(addons.of(blog.name()), "blog", v2.version() - 1, "admin");
    assertThat(postgres.data.get("blog-db")).isEqualTo("blog's rows");
    assertThat(postgres.data.get("shop-db")).as("shop's data left alone").isEqualTo("shop's newer rows");

    backups.setSchedule("blog-db", null, 1);
    backups.capture("blog-db", "manual", null, "admin");
    backups.capture("blog-db", "manual", null, "admin");
    assertThat(backups.list("blog-db")).extracting(BackupStore.Backup::trigger).containsExactly("release", "manual");
  }

  @Test
  void kindsWithoutBackupsAreRefusedAndDestroyingAnAddOnDeletesItsBackups() {
    addons.create(new dev.pier.model.AppName("shop"), "redis", null, "cache", "admin");
    assertThatThrownBy(() -> backups.capture("cache", "manual", null, "admin")).hasMessage("redis add-ons have no backups");

    backups.capture("shop-db", "manual", null, "admin");
    addons.destroy("shop-db", "shop", false, "admin");

    assertThat(dir.resolve("shop-db")).doesNotExist();
    assertThatThrownBy(() -> backups.list("shop-db")).hasMessage("no add-on named shop-db");
  }
}
