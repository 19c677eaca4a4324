package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.e2e.PlatformHarness.Response;
import dev.pier.e2e.PlatformHarness.Result;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heroku-style pipelines (#10): a git push to staging, then {@code pipelines:promote} releases
 * staging's exact build on production with production's own config vars, without a build; {@code
 * pipelines:diff} lists what staging has that production has not.
 */
class PipelineTest {
  @TempDir Path tmp;

  @Test
  void promotingStagingReleasesItsBuildOnProductionWithProductionsConfigAndNoBuild() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      pier.login();
      Path repo = pier.repo("shop", SampleApps.nodeHello(1));
      PlatformHarness.check(pier.cli(repo, "apps:create", "shop-staging"));
      PlatformHarness.check(pier.cli(repo, "apps:create", "shop", "--no-remote"));
      PlatformHarness.check(pier.cli(repo, "config:set", "GREETING=hi-from-staging", "-a", "shop-staging"));
      PlatformHarness.check(pier.cli(repo, "config:set", "GREETING=hi-from-production", "-a", "shop"));
      Result created = PlatformHarness.check(pier.cli(repo, "pipelines:create", "shop",
          "--stage", "staging=shop-staging", "--stage", "production=shop"));
      assertThat(created.out()).contains("staging: shop-staging -> production: shop");

      Result nothing = pier.cli(repo, "pipelines:promote", "-a", "shop-staging");
      assertThat(nothing.exit()).isNotZero();
      assertThat(nothing.err()).contains("shop-staging has no release to promote");

      Result push = pier.git(repo, "push", "pier", "main");
      assertThat(push.exit()).as(push.all()).isZero();
      assertThat(pier.awaitBody("shop-staging", "hi-from-staging", Duration.ofSeconds(20))).isTrue();
      String buildsBefore = PlatformHarness.check(pier.cli(repo, "builds", "-a", "shop")).out();
      assertThat(buildsBefore).contains("No builds yet");

      long start = System.nanoTime();
      Result promote = pier.cli(repo, "pipelines:promote", "-a", "shop-staging");
      assertThat(promote.exit()).as(promote.all()).isZero();
      assertThat(pier.awaitBody("shop", "hi-from-production", Duration.ofSeconds(20))).isTrue();
      System.out.println("promotion (command to 200 with the new content): "
          + (System.nanoTime() - start) / 1_000_000 + " ms");
      assertThat(promote.out()).contains("Promoted shop-staging v1 to production: shop (v1)");
      Response production = pier.get("shop", "/");
      assertThat(production.body()).contains("\"version\":1").contains("hi-from-production");
      assertThat(pier.get("shop-staging", "/").body()).contains("hi-from-staging");
      assertThat(PlatformHarness.check(pier.cli(repo, "builds", "-a", "shop")).out()).isEqualTo(buildsBefore);
      assertThat(PlatformHarness.check(pier.cli(repo, "releases", "-a", "shop")).out())
          .contains("Promote shop-staging v1");

      assertThat(PlatformHarness.check(pier.cli(repo, "apps:info", "-a", "shop")).out())
          .contains("Pipeline:    shop - production")
          .contains("Release:     v1 (Promote shop-staging v1)")
          .contains("Dynos:       web: 1 x default");

      Result last = pier.cli(repo, "pipelines:promote", "-a", "shop");
      assertThat(last.exit()).isNotZero();
      assertThat(last.err()).contains("the last stage of pipeline shop");
      assertThat(PlatformHarness.check(pier.cli(repo, "pipelines:diff", "-a", "shop-staging")).out())
          .contains("production is up to date");

      PlatformHarness.write(repo, SampleApps.nodeHello(2));
      pier.commitAll(repo, "Say version two");
      Result push2 = pier.git(repo, "push", "pier", "main");
      assertThat(push2.exit()).as(push2.all()).isZero();
      Result diff = PlatformHarness.check(pier.cli(repo, "pipelines:diff", "shop"));
      assertThat(diff.out())
          .contains("shop-staging (staging) -> shop (production)")
          .contains("shop-staging is ahead of shop by 1 commit")
          .contains("Say version two");
      assertThat(pier.get("shop", "/").body()).contains("\"version\":1");

      PlatformHarness.check(pier.cli(repo, "apps:destroy", "shop-staging", "--confirm", "shop-staging"));
      assertThat(PlatformHarness.check(pier.cli(repo, "pipelines:info", "shop")).out())
          .contains("staging     (none)").contains("production  shop");
    }
  }
}
