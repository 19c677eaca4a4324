package dev.pier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.build.BuildOutput;
import dev.pier.deploy.Platform;
import dev.pier.errors.PlatformException;
import dev.pier.errors.Problem;
import dev.pier.release.Release;
import dev.pier.release.ReleaseService;
import dev.pier.runtime.InstanceSpec;
import dev.pier.runtime.InstanceStatus;
import dev.pier.store.DataDirs;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config changes roll out as new releases, or are undone, against a fake runtime. */
class ConfigServiceTest {
  @TempDir Path tmp;
  private Platform p;
  private ConfigStore store;
  private ConfigService config;
  private App app;

  @BeforeEach
  void open() {
    p = new Platform(tmp);
    store = new ConfigStore(p.db);
    AppService apps = new AppService(p.apps, new DataDirs(tmp.resolve("data")), p.logs, p.clock,
        new AppService.Urls("pier.test", 8080, "http://127.0.0.1:5000"));
    config = new ConfigService(store, apps, new ReleaseService(p.releases), p.releases, p.rollout, p.versions,
        p.logs, p.clock);
    app = p.app("hello");
  }

  @AfterEach
  void close() {
    p.close();
  }

  private Release deployed() throws Exception {
    Release v1 = p.webRelease(app);
    assertThat(p.rollout.apply(app, Platform.all(v1.version()), true, "admin", BuildOutput.NONE)).isNull();
    return v1;
  }

  private List<Integer> runningReleases() {
    return p.runtime.list("hello").stream().map(InstanceStatus::release).toList();
  }

  @Test
  void settingAVarRollsOutANewReleaseWithItAndStopsTheOldOne() throws Exception {
    Release v1 = deployed();

    ConfigService.Updated updated = config.update(app, Map.of("DATABASE_URL", "postgres://db"), "admin");

    assertThat(updated.release()).isEqualTo(v1.version() + 1);
    assertThat(updated.config()).containsEntry("DATABASE_URL", "postgres://db");
    InstanceSpec started = p.runtime.started().getLast();
    assertThat(started.release()).isEqualTo(updated.release());
    assertThat(started.env()).containsEntry("DATABASE_URL", "postgres://db");
    assertThat(started.slug()).isEqualTo(v1.slug());
    assertThat(runningReleases()).containsExactly(updated.release());
    assertThat(p.reload(app).currentRelease()).isEqualTo(updated.release());
    assertThat(p.releases.find(app.name(), updated.release()).orElseThrow().description())
        .isEqualTo("Set DATABASE_URL config vars");
  }

  @Test
  void aChangeWhoseReleaseNeverBecomesReadyIsUndoneAndTheOldReleaseKeepsServing() throws Exception {
    Release v1 = deployed();
    config.update(app, Map.of("MODE", "safe"), "admin");
    int live = p.reload(app).currentRelease();
    p.runtime.neverReady(live + 1);

    assertThatThrownBy(() -> config.update(app, Map.of("MODE", "broken", "EXTRA", "1"), "admin"))
        .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.problem()).isEqualTo(Problem.CONFLICT))
        .hasMessageContaining("config not changed: v" + (live + 1) + " did not become ready");

    assertThat(store.get(app.name())).isEqualTo(Map.of("MODE", "safe"));
    assertThat(p.releases.find(app.name(), live + 1).orElseThrow().failed()).isTrue();
    assertThat(p.reload(app).currentRelease()).isEqualTo(live);
    assertThat(runningReleases()).containsExactly(live);
    assertThat(v1.version()).isLessThan(live);
  }

  @Test
  void invalidOrReservedNamesAndBadValuesAreRefusedWith422BeforeAnythingIsStored() throws Exception {
    deployed();
    Map<String, String> withNull = new HashMap<>();
    withNull.put("OK", "1");
    withNull.put("1BAD", "x");
    for (Map<String, String> bad : List.of(Map.<String, String>of(), Map.of("PORT", "80"), Map.of("DYNO", "web.1"),
        Map.of("A-B", "1"), Map.of("NUL", "a\0b"), Map.of("BIG", "x".repeat(32 * 1024 + 1)), withNull)) {
      assertThatThrownBy(() -> config.update(app, bad, "admin"))
          .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.problem().status).isEqualTo(422));
    }
    assertThatThrownBy(() -> config.update(app, Map.of("PORT", "80"), "admin"))
        .hasMessage("PORT is set by Pier for each instance and cannot be changed");
    assertThat(store.get(app.name())).isEmpty();
    assertThat(p.runtime.started()).hasSize(1);
  }

  @Test
  void unsettingAVarThatIsNotSetMakesNoReleaseAndRestartsNothing() throws Exception {
    Release v1 = deployed();
    Map<String, String> unset = new HashMap<>();
    unset.put("NEVER_SET", null);

    ConfigService.Updated updated = config.update(app, unset, "admin");

    assertThat(updated.release()).isZero();
    assertThat(updated.notSet()).containsExactly("NEVER_SET");
    assertThat(p.releases.list(app.name())).hasSize(1);
    assertThat(runningReleases()).containsExactly(v1.version());
    assertThat(p.runtime.started()).hasSize(1);
  }

  @Test
  void anAppWithoutAReleaseStoresItsConfigAndStartsNothing() throws Exception {
    ConfigService.Updated updated = config.update(app, Map.of("A", "1"), "admin");

    assertThat(updated.release()).isZero();
    assertThat(config.get(app)).isEqualTo(Map.of("A", "1"));
    assertThat(p.runtime.calls()).isEmpty();
  }
}
