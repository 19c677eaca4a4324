package dev.pier.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.app.AppStore;
import dev.pier.config.ConfigStore;
import dev.pier.deploy.BuildStore;
import dev.pier.logs.LogBus;
import dev.pier.model.AppName;
import dev.pier.model.LogLine;
import dev.pier.model.SplitBy;
import dev.pier.release.Release;
import dev.pier.release.ReleaseStore;
import dev.pier.store.DataDirs;
import dev.pier.store.Database;
import dev.pier.store.Repositories;
import dev.pier.versions.Traffic;
import dev.pier.versions.VersionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state a crash leaves at each cut-off point, built directly in a real database, real git
 * repositories and real files, and what the start-up check makes of it.
 */
class DoctorTest {
  private static final AppName APP = new AppName("hello");
  private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");

  @TempDir Path tmp;
  private Database db;
  private DataDirs dirs;
  private AppStore apps;
  private ReleaseStore releases;
  private VersionStore versions;
  private ConfigStore config;
  private BuildStore builds;
  private Repositories repos;
  private LogBus logs;
  private boolean busy;

  @BeforeEach
  void open() throws Exception {
    DataDirs data = new DataDirs(tmp.resolve("data"));
    data.create(false);
    openStores(data);
    logs = new LogBus(100, InstantSource.fixed(NOW));
    apps.insert(APP, NOW).orElseThrow();
    repos.create(APP);
  }

  private void openStores(DataDirs data) {
    dirs = data;
    db = Database.open(dirs.db());
    apps = new AppStore(db);
    releases = new ReleaseStore(db);
    versions = new VersionStore(db);
    config = new ConfigStore(db);
    builds = new BuildStore(db);
    repos = new Repositories(dirs);
  }

  @AfterEach
  void close() {
    db.close();
  }

  private Doctor doctor() {
    Doctor.AppLocks locks = new Doctor.AppLocks() {
      @Override
      public <T> Optional<T> ifIdle(AppName app, java.util.concurrent.Callable<T> work) throws Exception {
        return busy ? Optional.empty() : Optional.ofNullable(work.call());
      }
    };
    return new Doctor(apps, releases, versions, config, builds, locks, dirs, logs, InstantSource.fixed(NOW));
  }

  /** A release with a real slug file, made live (current, all traffic). */
  private Release live(Map<String, String> env, String commit) throws Exception {
    Release r = release(env, commit);
    versions.setTraffic(APP, new Traffic(SplitBy.RANDOM, Map.of(r.version(), 100)));
    return r;
  }

  private Release release(Map<String, String> env, String commit) throws Exception {
    Files.createDirectories(dirs.slugs(APP));
    Path slug = Files.createTempFile(dirs.slugs(APP), "slug", ".tar.gz");
    return releases.create(APP, slug, "Deploy", "admin", NOW, env, Map.of(), Map.of("web", "node server.js"), null, commit);
  }

  @Test
  void aStoreWithNothingHalfDoneGetsNoFindings() throws Exception {
    live(Map.of("A", "1"), null);
    config.update(APP, Map.of("A", "1"));
    assertThat(doctor().check(Doctor.Mode.REPAIR)).isEmpty();
  }

  @Test
  void buildsAndReleasesCutOffByACrashAreMarkedFailedAndSaidSo() throws Exception {
    live(Map.of(), null);
    builds.start(APP, "Deploy abc1234", "admin", NOW);
    Release pending = release(Map.of(), null);

    List<Finding> found = doctor().check(Doctor.Mode.REPAIR);

    assertThat(found).extracting(Finding::kind).containsOnly(Finding.Kind.REPAIRED);
    assertThat(found).extracting(Finding::message).anyMatch(m -> m.contains("Deploy abc1234") && m.contains("interrupted"))
        .anyMatch(m -> m.contains("v" + pending.version()) && m.contains("marked failed"));
    assertThat(builds.list(APP, 10).getFirst().status()).isEqualTo("failed");
    assertThat(releases.find(APP, pending.version()).orElseThrow().failed()).isTrue();
    assertThat(logs.recent("hello", 10)).extracting(LogLine::text).anyMatch(t -> t.contains("marked failed"));
  }

  @Test
  void aRepositoryWithoutItsAppIsMovedAsideAndAnAppWithoutOneGetsAnEmptyRepository() throws Exception {
    AppName ghost = new AppName("ghost");
    repos.create(ghost);
    Files.createDirectories(dirs.slugs(ghost));
    DataDirs.deleteTree(dirs.repo(APP));

    List<Finding> found = doctor().check(Doctor.Mode.REPAIR);

    assertThat(found).extracting(Finding::kind).containsOnly(Finding.Kind.REPAIRED);
    assertThat(Files.exists(dirs.repo(ghost))).isFalse();
    assertThat(Files.list(dirs.root().resolve("lost+found")).toList())
        .singleElement().satisfies(p -> assertThat(p.getFileName().toString()).startsWith("ghost.git."));
    assertThat(Files.exists(dirs.slugs(ghost))).isFalse();
    assertThat(repos.exists(APP)).isTrue();
  }

  @Test
  void gitLockFilesLeftByAKillAreRemovedSoPushesWorkAgain() throws Exception {
    Files.writeString(dirs.repo(APP).resolve("config.lock"), "");
    Files.createDirectories(dirs.repo(APP).resolve("refs/heads"));
    Files.writeString(dirs.repo(APP).resolve("refs/heads/main.lock"), "");

    List<Finding> found = doctor().check(Doctor.Mode.REPAIR);

    assertThat(found).singleElement().satisfies(f -> assertThat(f.message())
        .contains("config.lock").contains("refs/heads/main.lock"));
    assertThat(Files.exists(dirs.repo(APP).resolve("config.lock"))).isFalse();
    repos.makeDurable(APP);
  }

  @Test
  void aNewAppNeverInheritsTheRepositoryOfADestroyedOneOfTheSameName() throws Exception {
    AppName reused = new AppName("reused");
    repos.create(reused);
    Files.writeString(dirs.repo(reused).resolve("old-code"), "secret");

    assertThat(repos.create(reused)).isNotNull();
    assertThat(Files.exists(dirs.repo(reused).resolve("old-code"))).isFalse();
  }

  @Test
  void configChangedButNotReleasedIsRestoredFromTheNewestRelease() throws Exception {
    live(Map.of("A", "1", "B", "2"), null);
    config.update(APP, Map.of("A", "changed", "B", "2", "C", "new"));

    List<Finding> found = doctor().check(Doctor.Mode.REPAIR);

    assertThat(found).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(Finding.Kind.REPAIRED);
      assertThat(f.message()).contains("A, C").contains("restored");
    });
    assertThat(config.get(APP)).isEqualTo(Map.of("A", "1", "B", "2"));
  }

  @Test
  void configIsLeftAloneWhenTrafficWasMigratedBackToAnOlderRelease() throws Exception {
    Release v1 = live(Map.of(), null);
    live(Map.of("A", "1"), null);
    config.update(APP, Map.of("A", "1"));
    versions.setTraffic(APP, new Traffic(SplitBy.RANDOM, Map.of(v1.version(), 100)));

    assertThat(doctor().check(Doctor.Mode.REPAIR)).isEmpty();
    assertThat(config.get(APP)).isEqualTo(Map.of("A", "1"));
  }

  @Test
  void slugsAreKeptWhenTheDataDirectoryIsReachedThroughAnotherPath() throws Exception {
    Release r = live(Map.of(), null);
    db.close();
    Path alias = tmp.resolve("alias");
    Files.createSymbolicLink(alias, dirs.root());
    openStores(new DataDirs(alias));

    doctor().check(Doctor.Mode.REPAIR);

    assertThat(Files.exists(r.slug())).isTrue();
  }

  @Test
  void theDeployBranchBehindTheLiveReleaseIsMovedToItsCommit() throws Exception {
    ObjectId[] history = history(0);
    ObjectId second = history[1];
    live(Map.of(), second.name());

    List<Finding> found = doctor().check(Doctor.Mode.REPAIR);

    assertThat(found).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(Finding.Kind.REPAIRED);
      assertThat(f.message()).contains("behind the live release").contains(second.abbreviate(7).name());
    });
    try (Repository repo = repos.open(APP)) {
      assertThat(repo.exactRef("refs/heads/main").getObjectId()).isEqualTo(second);
    }
  }

  @Test
  void aBranchAtACommitNoReleaseWasBuiltFromIsReportedAndLeftAlone() throws Exception {
    ObjectId[] history = history(1);
    ObjectId stray = history[1];
    live(Map.of(), history[0].name());

    List<Finding> found = doctor().check(Doctor.Mode.REPAIR);

    assertThat(found).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(Finding.Kind.PROBLEM);
      assertThat(f.message()).contains("no release was built from");
    });
    try (Repository repo = repos.open(APP)) {
      assertThat(repo.exactRef("refs/heads/main").getObjectId()).isEqualTo(stray);
    }
  }

  @Test
  void slugsNoReleaseNamesAreDeletedAndAMissingSlugIsReported() throws Exception {
    Release r = live(Map.of(), null);
    Path orphan = Files.createFile(dirs.slugs(APP).resolve("orphan.tar.gz"));
    Release gone = release(Map.of(), null);
    versions.setRunning(APP, gone.version(), true);
    Files.delete(gone.slug());

    List<Finding> found = doctor().check(Doctor.Mode.REPAIR);

    assertThat(Files.exists(orphan)).isFalse();
    assertThat(Files.exists(r.slug())).isTrue();
    assertThat(found).filteredOn(f -> f.kind() == Finding.Kind.PROBLEM).singleElement()
        .satisfies(f -> assertThat(f.message()).contains("v" + gone.version()).contains("missing"));
  }

  @Test
  void theReportModeChangesNothingAndSkipsAnAppWithAChangeInProgress() throws Exception {
    live(Map.of("A", "1"), null);
    config.update(APP, Map.of("A", "2"));
    DataDirs.deleteTree(dirs.repo(APP));
    busy = true;

    List<Finding> found = doctor().check(Doctor.Mode.REPORT);

    assertThat(found).extracting(Finding::kind).containsExactly(Finding.Kind.SKIPPED);
    busy = false;
    assertThat(doctor().check(Doctor.Mode.REPORT)).extracting(Finding::message).contains("git repository is missing");
    assertThat(repos.exists(APP)).isFalse();
    assertThat(config.get(APP)).isEqualTo(Map.of("A", "2"));
  }

  /** Two commits, the second a child of the first, with main at commit {@code mainAt}. */
  private ObjectId[] history(int mainAt) throws Exception {
    try (Repository repo = repos.open(APP)) {
      ObjectId first = commit(repo, null);
      ObjectId[] both = {first, commit(repo, first)};
      setMain(repo, both[mainAt]);
      return both;
    }
  }

  private static ObjectId commit(Repository repo, ObjectId parent) throws Exception {
    try (ObjectInserter ins = repo.newObjectInserter()) {
      ObjectId tree = ins.insert(new TreeFormatter());
      CommitBuilder c = new CommitBuilder();
      c.setTreeId(tree);
      if (parent != null) c.setParentId(parent);
      PersonIdent who = new PersonIdent("Test", "test@pier.invalid");
      c.setAuthor(who);
      c.setCommitter(who);
      c.setMessage(parent == null ? "first" : "next");
      ObjectId id = ins.insert(c);
      ins.flush();
      return id;
    }
  }

  private static void setMain(Repository repo, ObjectId id) throws Exception {
    RefUpdate u = repo.updateRef(Constants.R_HEADS + "main");
    u.setNewObjectId(id);
    u.setForceUpdate(true);
    assertThat(u.update()).isIn(RefUpdate.Result.NEW, RefUpdate.Result.FORCED, RefUpdate.Result.FAST_FORWARD);
  }
}
