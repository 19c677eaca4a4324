package dev.pier.addons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.build.BuildOutput;
import dev.pier.config.ConfigService;
import dev.pier.config.ConfigStore;
import dev.pier.deploy.Platform;
import dev.pier.errors.PlatformException;
import dev.pier.errors.Problem;
import dev.pier.release.Release;
import dev.pier.release.ReleaseService;
import dev.pier.sandbox.PortRange;
import dev.pier.store.DataDirs;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Add-ons against the real store, config vars and rollout, with {@link FakeDatastore}s in place of
 * real servers and a {@link RecordingGuard} in place of nftables.
 */
class AddonServiceTest {
  @TempDir Path tmp;
  private Platform p;
  private AppService apps;
  private ConfigStore vars;
  private AddonService addons;
  private final FakeDatastore postgres = new FakeDatastore("postgres");
  private final FakeDatastore memcached = new FakeDatastore("memcached");
  private final FakeDatastore rabbitmq = new FakeDatastore("rabbitmq");
  private final RecordingGuard guard = new RecordingGuard();
  private App shop;
  private App blog;

  @BeforeEach
  void open() {
    p = new Platform(tmp);
    addons = service();
    shop = p.app("shop");
    blog = p.app("blog");
  }

  private AddonService service() {
    vars = new ConfigStore(p.db);
    apps = new AppService(p.apps, new DataDirs(tmp.resolve("data")), p.logs, p.clock,
        new AppService.Urls("pier.test", 8080, "http://127.0.0.1:5000"));
    ConfigService config = new ConfigService(vars, apps, new ReleaseService(p.releases), p.releases, p.rollout,
        p.versions, p.logs, p.clock);
    return new AddonService(new AddonService.Deps(new AddonStore(p.db),
        Map.of("postgres", postgres, "memcached", memcached, "rabbitmq", rabbitmq), apps, config,
        new AddonPorts(new PortRange(41500, 41599)), guard, tmp.resolve("data/addons"), true, p.logs, p.clock),
        new AddonNames(new Random(7)));
  }

  @AfterEach
  void close() {
    p.close();
  }

  private Release deployed(App app) throws Exception {
    Release v1 = p.webRelease(app);
    assertThat(p.rollout.apply(app, Platform.all(v1.version()), true, "admin", BuildOutput.NONE)).isNull();
    return v1;
  }

  @Test
  void anAddOnsPortIsGuardedBeforeItsServerIsMade() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean guarded = new java.util.concurrent.atomic.AtomicBoolean();
    postgres.onCreate = spec -> guarded.set(guard.admitted.containsKey(spec.port()));

    addons.create(shop.name(), "postgres", "small", null, "admin");

    assertThat(guarded).as("guarded when create ran").isTrue();
  }

  @Test
  void twoAddOnsOfOneKindCreatedAtOnceForOneAppGetDifferentAliases() throws Exception {
    java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
    postgres.onCreate = spec -> {
      try {
        together.await(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      var first = threads.submit(() -> addons.create(shop.name(), "postgres", "small", null, "admin"));
      var second = threads.submit(() -> addons.create(shop.name(), "postgres", "small", null, "admin"));
      first.get(60, java.util.concurrent.TimeUnit.SECONDS);
      second.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    assertThat(addons.of(shop.name())).flatExtracting(AddonService.Info::attachments)
        .extracting(Addon.Attachment::alias).doesNotHaveDuplicates().contains("DATABASE").hasSize(2);
  }

  @Test
  void creatingAPostgresAddOnRunsItsServerAndRollsOutAReleaseWithDatabaseUrl() throws Exception {
    Release v1 = deployed(shop);

    AddonService.Info created = addons.create(shop.name(), "postgres", "medium", null, "admin");

    Addon a = created.addon();
    assertThat(a.name()).matches("postgres-[a-z]+-\\d{5}");
    assertThat(a.state()).isEqualTo(Addon.READY);
    assertThat(a.plan()).isEqualTo("medium");
    assertThat(a.port()).isBetween(41500, 41599);
    assertThat(a.uid()).isNotIn(shop.uid(), blog.uid());
    assertThat(postgres.running).containsExactly(a.name());
    assertThat(postgres.made.get(a.name()).dataDir()).isEqualTo(tmp.resolve("data/addons/" + a.name()));
    App now = p.reload(shop);
    assertThat(now.currentRelease()).isEqualTo(v1.version() + 1);
    assertThat(p.runtime.started().getLast().env().get("DATABASE_URL"))
        .startsWith("postgres://").contains(":" + a.port() + "/");
    assertThat(guard.admitted.get(a.port())).containsExactly(shop.uid());
  }

  @Test
  void aSecondAddOnOfAKindGetsColorNamedVarsAndEachKindItsWellKnownNames() {
    Addon first = addons.create(shop.name(), "postgres", null, "main-db", "admin").addon();
    Addon second = addons.create(shop.name(), "postgres", null, "postgres-amber-12345", "admin").addon();
    addons.create(shop.name(), "memcached", null, null, "admin");
    addons.create(shop.name(), "rabbitmq", null, null, "admin");
    memcached.sasl = false;
    addons.create(blog.name(), "memcached", null, null, "admin");

    Map<String, String> config = vars.get(shop.name());
    assertThat(config).containsKeys("DATABASE_URL", "PIER_POSTGRES_AMBER_URL", "MEMCACHIER_SERVERS",
        "MEMCACHIER_USERNAME", "MEMCACHIER_PASSWORD", "CLOUDAMQP_URL", "RABBITMQ_URL");
    assertThat(config.get("DATABASE_URL")).contains(":" + first.port() + "/");
    assertThat(config.get("PIER_POSTGRES_AMBER_URL")).contains(":" + second.port() + "/");
    assertThat(first.port()).isNotEqualTo(second.port());
    assertThat(first.uid()).isNotEqualTo(second.uid());
    assertThat(vars.get(blog.name())).containsOnlyKeys("MEMCACHE_SERVERS");
    assertThat(addons.of(shop.name())).hasSize(4);
  }

  @Test
  void unknownKindsPlansAndTakenNamesAreRefusedAndNothingIsMade() {
    assertThatThrownBy(() -> addons.create(shop.name(), "mysql", null, null, "admin"))
        .hasMessage("unknown add-on kind 'mysql': use one of " + String.join(", ", addons.plans().keySet()))
        .extracting(e -> ((PlatformException) e).problem()).isEqualTo(Problem.INVALID);
    assertThatThrownBy(() -> addons.create(shop.name(), "postgres", "huge", null, "admin"))
        .hasMessage("unknown plan 'huge' of postgres: use one of small, medium, large");
    assertThatThrownBy(() -> addons.create(shop.name(), "postgres", null, "Bad Name", "admin"))
        .hasMessageStartingWith("invalid add-on name 'Bad Name'");
    addons.create(shop.name(), "postgres", null, "main-db", "admin");
    assertThatThrownBy(() -> addons.create(blog.name(), "memcached", null, "main-db", "admin"))
        .hasMessage("the add-on name main-db is already used")
        .extracting(e -> ((PlatformException) e).problem()).isEqualTo(Problem.CONFLICT);

    assertThat(postgres.made).containsOnlyKeys("main-db");
    assertThat(memcached.made).isEmpty();
    assertThat(vars.get(blog.name())).isEmpty();
  }

  @Test
  void aServerThatFailsToStartLeavesNothingBehindAndSaysWhy() throws Exception {
    Release v1 = deployed(shop);
    postgres.failStart = true;

    assertThatThrownBy(() -> addons.create(shop.name(), "postgres", null, "main-db", "admin"))
        .hasMessage("could not create add-on main-db: the server did not start: FATAL: could not map shared memory");

    assertThat(addons.all()).isEmpty();
    assertThat(postgres.made).isEmpty();
    assertThat(guard.admitted).isEmpty();
    assertThat(p.reload(shop).currentRelease()).isEqualTo(v1.version());
    assertThat(vars.get(shop.name())).isEmpty();
    postgres.failStart = false;
    assertThat(addons.create(shop.name(), "postgres", null, "main-db", "admin").addon().state()).isEqualTo("ready");
  }

  @Test
  void attachingSharesTheAddOnAndDetachingTakesItsVarsAndAccessAway() throws Exception {
    deployed(blog);
    Addon db = addons.create(shop.name(), "postgres", null, "main-db", "admin").addon();
    int before = p.reload(blog).currentRelease();

    addons.attach("main-db", blog.name(), "admin");

    assertThat(vars.get(blog.name()).get("DATABASE_URL")).isEqualTo(vars.get(shop.name()).get("DATABASE_URL"));
    assertThat(p.reload(blog).currentRelease()).isEqualTo(before + 1);
    assertThat(guard.admitted.get(db.port())).containsExactlyInAnyOrder(shop.uid(), blog.uid());
    assertThat(addons.info("main-db").attachments()).extracting(Addon.Attachment::app).containsExactly("shop", "blog");
    assertThatThrownBy(() -> addons.attach("main-db", blog.name(), "admin"))
        .hasMessage("main-db is already attached to blog");

    addons.detach("main-db", blog.name(), "admin");

    assertThat(vars.get(blog.name())).doesNotContainKey("DATABASE_URL");
    assertThat(p.reload(blog).currentRelease()).isEqualTo(before + 2);
    assertThat(guard.admitted.get(db.port())).containsExactly(shop.uid());
    assertThatThrownBy(() -> addons.detach("main-db", shop.name(), "admin"))
        .hasMessage("main-db is attached to shop only: destroy it instead (pier addons:destroy main-db --confirm shop)");
  }

  @Test
  void destroyingNeedsTheAppsNameAndForceWhenOtherAppsUseIt() {
    Addon db = addons.create(shop.name(), "postgres", null, "main-db", "admin").addon();
    addons.attach("main-db", blog.name(), "admin");

    assertThatThrownBy(() -> addons.destroy("main-db", "blog", false, "admin"))
        .hasMessage("destroying main-db deletes its data: confirm with --confirm shop");
    assertThatThrownBy(() -> addons.destroy("main-db", "shop", false, "admin"))
        .hasMessage("main-db is also attached to blog: detach it there first, or destroy it anyway with --force")
        .extracting(e -> ((PlatformException) e).problem()).isEqualTo(Problem.CONFLICT);
    assertThat(postgres.running).contains("main-db");

    addons.destroy("main-db", "shop", true, "admin");

    assertThat(addons.all()).isEmpty();
    assertThat(postgres.made).isEmpty();
    assertThat(vars.get(shop.name())).doesNotContainKey("DATABASE_URL");
    assertThat(vars.get(blog.name())).doesNotContainKey("DATABASE_URL");
    assertThat(guard.admitted).doesNotContainKey(db.port());
    assertThatThrownBy(() -> addons.info("main-db")).hasMessage("no add-on named main-db");
  }

  @Test
  void aStartAfterAKillUndoesAnUnfinishedCreateFinishesADestroyAndRestartsTheRest() {
    Addon kept = addons.create(shop.name(), "postgres", null, "kept", "admin").addon();
    addons.attach("kept", blog.name(), "admin");
    addons.create(shop.name(), "postgres", null, "half", "admin");
    addons.create(blog.name(), "memcached", null, "going", "admin");
    AddonStore store = new AddonStore(p.db);
    store.setState("half", Addon.CREATING); // as if Pier was killed before the create finished
    store.setState("going", Addon.DESTROYING);
    postgres.close();
    memcached.close();
    guard.admitted.clear();

    AddonService restarted = service();
    restarted.recover();

    assertThat(restarted.all()).extracting(i -> i.addon().name()).containsExactly("kept");
    assertThat(postgres.made).containsOnlyKeys("kept");
    assertThat(postgres.running).containsExactly("kept");
    assertThat(memcached.made).isEmpty();
    assertThat(vars.get(shop.name())).containsOnlyKeys("DATABASE_URL");
    assertThat(vars.get(blog.name())).containsOnlyKeys("DATABASE_URL");
    assertThat(guard.admitted.get(kept.port())).containsExactlyInAnyOrder(shop.uid(), blog.uid());
  }

  @Test
  void rotatingGivesEveryAttachedAppTheNewPasswordInANewRelease() throws Exception {
    deployed(shop);
    addons.create(shop.name(), "postgres", null, "main-db", "admin");
    addons.attach("main-db", blog.name(), "admin");
    String before = vars.get(shop.name()).get("DATABASE_URL");
    int shopRelease = p.reload(shop).currentRelease();

    addons.rotate("main-db", "admin");

    String after = vars.get(shop.name()).get("DATABASE_URL");
    assertThat(after).isNotEqualTo(before).contains(":secret2@");
    assertThat(vars.get(blog.name()).get("DATABASE_URL")).isEqualTo(after);
    assertThat(p.reload(shop).currentRelease()).isEqualTo(shopRelease + 1);
    assertThat(p.runtime.list("shop")).allSatisfy(i -> assertThat(i.release()).isEqualTo(shopRelease + 1));
    assertThat(new AddonStore(p.db).find("main-db").orElseThrow().credentials().password()).isEqualTo("secret2");
  }

  @Test
  void destroyingAnAppDestroysTheAddOnsOnlyItUsedAndHandsOverSharedOnes() {
    addons.create(shop.name(), "postgres", null, "own", "admin");
    addons.create(shop.name(), "memcached", null, "shared", "admin");
    addons.attach("shared", blog.name(), "admin");

    p.apps.delete(shop.name());
    addons.appDestroyed(shop);

    assertThat(addons.all()).extracting(i -> i.addon().name()).containsExactly("shared");
    assertThat(addons.info("shared").addon().ownerApp()).isEqualTo("blog");
    assertThat(postgres.made).isEmpty();
    int port = addons.info("shared").addon().port();
    assertThat(guard.admitted.get(port)).as("uids admitted to the shared add-on").contains(blog.uid())
        .doesNotContain(shop.uid());
  }

  @Test
  void aDestroyedAppsUidLosesItsAdmissionToAnotherAppsAddOnAtOnce() {
    addons.create(blog.name(), "postgres", null, "blog-db", "admin");
    addons.attach("blog-db", shop.name(), "admin");
    int port = addons.info("blog-db").addon().port();
    assertThat(guard.admitted.get(port)).contains(shop.uid());

    p.apps.delete(shop.name());
    addons.appDestroyed(shop);

    assertThat(guard.admitted.get(port)).contains(blog.uid()).doesNotContain(shop.uid());
    assertThat(addons.info("blog-db").addon().ownerApp()).isEqualTo("blog");
  }
}
