package dev.pier.rename;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.build.BuildOutput;
import dev.pier.config.ConfigStore;
import dev.pier.deploy.Platform;
import dev.pier.errors.PlatformException;
import dev.pier.errors.Problem;
import dev.pier.model.AppName;
import dev.pier.pipelines.Pipeline;
import dev.pier.pipelines.PipelineService;
import dev.pier.pipelines.PipelineStore;
import dev.pier.release.Release;
import dev.pier.routing.RoutePublisher;
import dev.pier.statics.StaticSites;
import dev.pier.store.DataDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renaming an app moves every row keyed by its name in one go, and waits for no change in progress. */
class AppRenamerTest {
  private static final AppName OLD = new AppName("old-app");
  private static final AppName NEW = new AppName("new-app");

  @TempDir Path tmp;
  private Platform p;
  private DataDirs dirs;
  private AppService apps;
  private AppRenamer renamer;
  private App app;

  @BeforeEach
  void open() throws Exception {
    p = new Platform(tmp);
    dirs = new DataDirs(tmp.resolve("data"));
    apps = new AppService(p.apps, dirs, p.logs, p.clock, new AppService.Urls("pier.test", 8080, "http://127.0.0.1:5000"));
    RoutePublisher routes = new RoutePublisher(apps, p.runtime, p.versions, p.processes, t -> {},
        new StaticSites(dirs, p.releases));
    renamer = new AppRenamer(apps, new AppRenameStore(p.db), p.rollout, p.processes, routes, dirs, p.logs);
    app = p.app(OLD.value());
    Files.createDirectories(dirs.repo(OLD));
    Files.writeString(dirs.repo(OLD).resolve("HEAD"), "ref: refs/heads/main\n");
  }

  @AfterEach
  void close() {
    p.close();
  }

  @Test
  void everyRowFollowsTheNewNameTablesAddedLaterIncludedAndTheUidStays() throws Exception {
    Path slug = Files.createDirectories(dirs.slugs(OLD)).resolve("s.tar.gz");
    Files.writeString(slug, "slug");
    Release release = p.releases.create(OLD, slug, "Deploy", "admin", p.clock.instant(), Map.of(), Map.of(),
        Map.of(), null, "abc");
    ConfigStore config = new ConfigStore(p.db);
    config.update(OLD, Map.of("GREETING", "hi"));
    PipelineService pipelines = new PipelineService(new PipelineStore(p.db), apps, p.logs, p.clock);
    pipelines.create("shop", List.of(new Pipeline.Stage("staging", List.of(OLD.value()))), "admin");
    p.db.transaction(c -> {
      c.createStatement().execute("CREATE TABLE later_feature (app VARCHAR(30) NOT NULL"
          + " REFERENCES apps(name) ON DELETE CASCADE, note VARCHAR(10))");
      c.createStatement().execute("INSERT INTO later_feature VALUES ('old-app', 'kept')");
      return null;
    });

    App renamed = renamer.rename(OLD, NEW.value(), "admin");

    assertThat(renamed.uid()).isEqualTo(app.uid());
    assertThat(p.apps.find(OLD)).isEmpty();
    Release moved = p.releases.find(NEW, release.version()).orElseThrow();
    assertThat(moved.slug()).isEqualTo(dirs.slugs(NEW).resolve("s.tar.gz"));
    assertThat(Files.readString(moved.slug())).isEqualTo("slug");
    assertThat(config.get(NEW)).isEqualTo(Map.of("GREETING", "hi"));
    assertThat(pipelines.placementOf(NEW).orElseThrow().stage().name()).isEqualTo("staging");
    assertThat(Files.exists(dirs.repo(NEW).resolve("HEAD"))).isTrue();
    assertThat(Files.exists(dirs.repo(OLD))).isFalse();
    String note = p.db.query(c -> {
      var rs = c.createStatement().executeQuery("SELECT note FROM later_feature WHERE app = 'new-app'");
      return rs.next() ? rs.getString(1) : null;
    });
    assertThat(note).isEqualTo("kept");
  }

  @Test
  void aRenameIsRefusedWhileAChangeOfTheAppIsInProgress() throws Exception {
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    Thread change = Thread.ofPlatform().start(() -> {
      try {
        p.rollout.locked(app, BuildOutput.NONE, () -> {
          holding.countDown();
          return done.await(30, TimeUnit.SECONDS);
        });
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

    assertThatThrownBy(() -> renamer.rename(OLD, NEW.value(), "admin"))
        .isInstanceOf(PlatformException.class)
        .hasMessageContaining("a change of old-app is in progress");
    assertThat(p.apps.find(OLD)).isPresent();

    done.countDown();
    change.join();
    assertThat(renamer.rename(OLD, NEW.value(), "admin").name()).isEqualTo(NEW);
  }

  @Test
  void aTakenOrInvalidNameIsRefusedAndNothingMoves() {
    p.app("taken-app");

    assertThatThrownBy(() -> renamer.rename(OLD, "taken-app", "admin"))
        .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.problem()).isEqualTo(Problem.CONFLICT))
        .hasMessage("app name 'taken-app' is already taken");
    assertThatThrownBy(() -> renamer.rename(OLD, "Bad_Name", "admin"))
        .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.problem()).isEqualTo(Problem.INVALID));
    assertThat(p.apps.find(OLD)).isPresent();
    assertThat(Files.exists(dirs.repo(OLD).resolve("HEAD"))).isTrue();
  }

  @Test
  void aRenameCutOffAfterItsFoldersMovedIsUndoneAtTheNextStartWhenTheRowsDidNotMove() throws Exception {
    Files.writeString(tmp.resolve("data").resolve("rename-journal"), "old-app\nnew-app\n");
    Files.move(dirs.repo(OLD), dirs.repo(NEW)); // the kill came after the folder move, before the commit

    renamer.recover();

    assertThat(p.apps.find(OLD)).isPresent();
    assertThat(Files.readString(dirs.repo(OLD).resolve("HEAD"))).contains("refs/heads/main");
    assertThat(Files.exists(dirs.repo(NEW))).isFalse();
    assertThat(Files.exists(tmp.resolve("data").resolve("rename-journal"))).isFalse();
  }

  @Test
  void aRenameCutOffAfterItsCommitIsFinishedAtTheNextStart() throws Exception {
    Files.writeString(tmp.resolve("data").resolve("rename-journal"), "old-app\nnew-app\n");
    assertThat(new AppRenameStore(p.db).rename(OLD, NEW, dirs.slugs(OLD), dirs.slugs(NEW))).isTrue();
    // the kill came after the commit, before the repository folder moved

    renamer.recover();

    assertThat(p.apps.find(NEW)).isPresent();
    assertThat(Files.readString(dirs.repo(NEW).resolve("HEAD"))).contains("refs/heads/main");
    assertThat(Files.exists(dirs.repo(OLD))).isFalse();
    assertThat(Files.exists(tmp.resolve("data").resolve("rename-journal"))).isFalse();
  }

  @Test
  void aFinishedRenameLeavesNoJournalForTheNextStart() throws Exception {
    renamer.rename(OLD, NEW.value(), "admin");

    assertThat(Files.exists(tmp.resolve("data").resolve("rename-journal"))).isFalse();
    renamer.recover(); // nothing to do
    assertThat(Files.exists(dirs.repo(NEW).resolve("HEAD"))).isTrue();
  }
}
