package dev.pier.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.deploy.Platform;
import dev.pier.model.AppName;
import dev.pier.store.DataDirs;
import dev.pier.store.Repositories;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commits between two stages, read from the upstream app's repository. */
class PipelineDiffTest {
  @TempDir Path tmp;
  private Platform p;
  private Repositories repos;
  private PipelineDiff diff;
  private App staging;
  private App production;

  @BeforeEach
  void open() throws Exception {
    p = new Platform(tmp);
    DataDirs dirs = new DataDirs(tmp.resolve("data"));
    repos = new Repositories(dirs);
    AppService apps = new AppService(p.apps, dirs, p.logs, p.clock, new AppService.Urls("pier.test", 8080, "http://x"));
    PipelineService pipelines = new PipelineService(new PipelineStore(p.db), apps, p.logs, p.clock);
    diff = new PipelineDiff(apps, pipelines, p.releases, repos);
    staging = p.app("shop-staging");
    production = p.app("shop");
    repos.create(staging.name());
    pipelines.create("shop", List.of(new Pipeline.Stage("staging", List.of("shop-staging")),
        new Pipeline.Stage("production", List.of("shop"))), "admin");
  }

  @AfterEach
  void close() {
    p.close();
  }

  @Test
  void theCommitsStagingHasThatProductionLacksAreListedNewestFirst() throws Exception {
    ObjectId base = commit("first");
    ObjectId second = commit("second", base);
    ObjectId third = commit("third", second);
    deployed(production, base);
    deployed(staging, third);

    PipelineDiff.Comparison c = only();

    assertThat(c.status()).isEqualTo("ahead");
    assertThat(c.message()).isEqualTo("shop-staging is ahead of shop by 2 commits");
    assertThat(c.commits()).extracting(PipelineDiff.Commit::message).containsExactly("third", "second");
  }

  @Test
  void equalCommitsAreUpToDate() throws Exception {
    ObjectId base = commit("first");
    deployed(production, base);
    deployed(staging, base);

    assertThat(only().status()).isEqualTo("up-to-date");
    assertThat(only().commits()).isEmpty();
  }

  @Test
  void aProductionCommitMissingFromStagingsHistoryOrOffItsBranchIsSaidSo() throws Exception {
    ObjectId base = commit("first");
    ObjectId side = commit("hotfix", base);
    ObjectId main = commit("feature", base);
    deployed(staging, main);
    deployed(production, side);

    assertThat(only().status()).isEqualTo("diverged");
    assertThat(only().message()).contains("the stages have diverged");

    deployed(production, ObjectId.fromString("0123456789abcdef0123456789abcdef01234567"));
    assertThat(only().status()).isEqualTo("unrelated");
    assertThat(only().message()).isEqualTo("shop's commit 0123456 is not in shop-staging's history");
  }

  @Test
  void aReleaseWithoutACommitHasNothingToCompare() throws Exception {
    deployed(staging, commit("first"));
    p.live(production, p.release(production, Map.of("web", "node server.js")));

    assertThat(only().status()).isEqualTo("no-commit");
  }

  private PipelineDiff.Comparison only() {
    List<PipelineDiff.Comparison> all = diff.ofApp(p.reload(staging));
    assertThat(all).hasSize(1);
    return all.getFirst();
  }

  private void deployed(App app, ObjectId commit) throws Exception {
    var release = p.releases.create(app.name(), tmp.resolve("slug"), "Deploy", "admin", p.clock.instant(), Map.of(),
        Map.of(), Map.of("web", "node server.js"), null, commit.name());
    p.live(app, release);
  }

  private ObjectId commit(String message, ObjectId... parents) throws Exception {
    try (Repository repo = repos.open(new AppName("shop-staging")); ObjectInserter ins = repo.newObjectInserter()) {
      CommitBuilder cb = new CommitBuilder();
      cb.setTreeId(ins.insert(new TreeFormatter()));
      cb.setParentIds(parents);
      PersonIdent who = new PersonIdent("Pier Test", "test@pier.invalid");
      cb.setAuthor(who);
      cb.setCommitter(who);
      cb.setMessage(message);
      ObjectId id = ins.insert(cb);
      ins.flush();
      return id;
    }
  }
}
