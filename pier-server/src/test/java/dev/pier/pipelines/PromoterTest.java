package dev.pier.pipelines;

import static dev.pier.testing.TarEntries.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.build.BuildOutput;
import dev.pier.config.ConfigStore;
import dev.pier.deploy.Platform;
import dev.pier.deploy.ReleasePhase;
import dev.pier.errors.PlatformException;
import dev.pier.model.StaticSite;
import dev.pier.release.Release;
import dev.pier.statics.StaticSites;
import dev.pier.store.DataDirs;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Promotion releases the upstream slug on the next stage's apps with their own config, static sites included. */
class PromoterTest {
  @TempDir Path tmp;
  private Platform p;
  private DataDirs dirs;
  private ConfigStore config;
  private PipelineService pipelines;
  private Promoter promoter;
  private App staging;
  private App production;

  @BeforeEach
  void open() {
    p = new Platform(tmp);
    dirs = new DataDirs(tmp.resolve("data"));
    AppService apps = new AppService(p.apps, dirs, p.logs, p.clock,
        new AppService.Urls("pier.test", 8080, "http://127.0.0.1:5000"));
    config = new ConfigStore(p.db);
    pipelines = new PipelineService(new PipelineStore(p.db), apps, p.logs, p.clock);
    promoter = new Promoter(apps, pipelines, p.releases, config, p.processes, p.rollout, p.versions, p.logs, dirs,
        p.clock, () -> ReleasePhase.NONE);
    staging = p.app("shop-staging");
    production = p.app("shop");
    config.update(production.name(), Map.of("GREETING", "production"));
  }

  @AfterEach
  void close() {
    p.close();
  }

  @Test
  void aStaticSiteIsPromotedAsTheTargetsOwnSiteThatOutlivesTheSourcesSlug() throws Exception {
    Release built = p.release(staging, Map.of()); // no process types: a static site
    writeStaticSlug(built.slug());
    p.live(staging, built);
    pipelines.create("shop", List.of(new Pipeline.Stage("staging", List.of("shop-staging")),
        new Pipeline.Stage("production", List.of("shop"))), "admin");

    List<Promoter.Promoted> promoted = promote(staging);

    assertThat(promoted).containsExactly(new Promoter.Promoted("shop", 1, null));
    Release released = p.releases.find(production.name(), 1).orElseThrow();
    assertThat(released.description()).isEqualTo("Promote shop-staging v1");
    assertThat(released.env()).isEqualTo(Map.of("GREETING", "production"));
    assertThat(released.slug().getParent()).isEqualTo(dirs.slugs(production.name()));
    assertThat(p.reload(production).currentRelease()).isEqualTo(1);
    Files.delete(built.slug()); // the source's slug is gone (its app destroyed)
    StaticSite site = new StaticSites(dirs, p.releases).site(production.name(), 1);
    assertThat(site).isNotNull();
    assertThat(Files.readString(site.root().resolve("index.html"))).isEqualTo("<h1>promoted</h1>");
    assertThat(site.root()).isEqualTo(dirs.root().resolve("sites/shop/v1"));
  }

  @Test
  void aProcessReleaseIsPromotedAndItsInstancesRunOnTheTarget() throws Exception {
    Release built = p.webRelease(staging);
    p.live(staging, built);
    pipelines.create("shop", List.of(new Pipeline.Stage("staging", List.of("shop-staging")),
        new Pipeline.Stage("production", List.of("shop"))), "admin");

    assertThat(promote(staging)).containsExactly(new Promoter.Promoted("shop", 1, null));

    assertThat(p.runtime.list("shop")).isNotEmpty().allMatch(s -> s.release() == 1);
    assertThat(p.releases.find(production.name(), 1).orElseThrow().processes()).isEqualTo(built.processes());
  }

  @Test
  void promotionIsRefusedOutsideAPipelineFromTheLastStageAndWithoutARelease() throws Exception {
    assertThatThrownBy(() -> promoter.targets(staging)).isInstanceOf(PlatformException.class)
        .hasMessage("shop-staging is not in a pipeline: create one with pipelines:create");
    pipelines.create("shop", List.of(new Pipeline.Stage("staging", List.of("shop-staging")),
        new Pipeline.Stage("production", List.of("shop"))), "admin");
    assertThatThrownBy(() -> promoter.targets(production)).isInstanceOf(PlatformException.class)
        .hasMessage("shop is in production, the last stage of pipeline shop: there is no later stage to promote to");
    assertThatThrownBy(() -> promoter.promotable(staging)).isInstanceOf(PlatformException.class)
        .hasMessage("shop-staging has no release to promote: deploy it first (git push)");
    assertThat(p.releases.list(production.name())).isEmpty();
  }

  @Test
  void anAppIsInOnePipelineAtMostAndLeavesItWhenDestroyed() {
    pipelines.create("shop", List.of(new Pipeline.Stage("staging", List.of("shop-staging")),
        new Pipeline.Stage("production", List.of("shop"))), "admin");
    assertThatThrownBy(() -> pipelines.create("other", List.of(new Pipeline.Stage("production", List.of("shop"))), "admin"))
        .isInstanceOf(PlatformException.class)
        .hasMessage("app shop is already in pipeline shop: an app is in one pipeline at most");
    assertThatThrownBy(() -> pipelines.create("shop", List.of(new Pipeline.Stage("x", List.of("shop"))), "admin"))
        .isInstanceOf(PlatformException.class);

    p.apps.delete(staging.name());

    assertThat(pipelines.get("shop").stages()).containsExactly(
        new Pipeline.Stage("staging", List.of()), new Pipeline.Stage("production", List.of("shop")));
  }

  private List<Promoter.Promoted> promote(App source) throws Exception {
    App current = p.reload(source);
    return promoter.promote(current, promoter.promotable(current), promoter.targets(current), "admin", BuildOutput.NONE);
  }

  private static void writeStaticSlug(Path slug) throws Exception {
    try (OutputStream out = Files.newOutputStream(slug);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
      file(tar, "site/index.html", "<h1>promoted</h1>");
      file(tar, "pier-static.json", "{\"root\": \"site\"}");
    }
  }
}
