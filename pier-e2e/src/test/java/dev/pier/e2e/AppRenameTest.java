package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.e2e.PlatformHarness.Result;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pier apps:rename} of a deployed app (#10): the new host serves it with its config, the
 * old name is gone from the router and the API, the local {@code pier} remote follows so the next
 * {@code git push} deploys, and its releases and log history stay with it; a rename a crash cut
 * off is undone at the next start.
 */
class AppRenameTest {
  @TempDir Path tmp;

  @Test
  void aRenamedAppServesAtItsNewNameKeepsItsHistoryAndTakesPushesThroughTheUpdatedRemote() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      pier.login();
      Path repo = pier.repo("shop", SampleApps.nodeHello(1));
      PlatformHarness.check(pier.cli(repo, "apps:create", "old-shop"));
      PlatformHarness.check(pier.cli(repo, "apps:create", "taken-name", "--no-remote"));
      PlatformHarness.check(pier.cli(repo, "config:set", "GREETING=still-configured", "-a", "old-shop"));
      Result push = pier.git(repo, "push", "pier", "main");
      assertThat(push.exit()).as(push.all()).isZero();
      assertThat(pier.awaitBody("old-shop", "still-configured", Duration.ofSeconds(20))).isTrue();

      Result taken = pier.cli(repo, "apps:rename", "taken-name");
      assertThat(taken.exit()).isNotZero();
      assertThat(taken.err()).contains("app name 'taken-name' is already taken");
      Result invalid = pier.cli(repo, "apps:rename", "old-shop", "Bad_Name");
      assertThat(invalid.exit()).isNotZero();

      long start = System.nanoTime();
      Result rename = pier.cli(repo, "apps:rename", "new-shop");
      assertThat(rename.exit()).as(rename.all()).isZero();
      assertThat(rename.out()).contains("Renaming old-shop to new-shop... done").contains("Git remote pier updated");
      assertThat(pier.awaitBody("new-shop", "still-configured", Duration.ofSeconds(20))).isTrue();
      System.out.println("rename (command to 200 at the new name): " + (System.nanoTime() - start) / 1_000_000 + " ms");
      assertThat(pier.get("old-shop", "/").status()).isEqualTo(404);
      Result oldInfo = pier.cli(repo, "apps:info", "-a", "old-shop");
      assertThat(oldInfo.exit()).isNotZero();
      assertThat(oldInfo.err()).contains("app 'old-shop' not found");
      assertThat(PlatformHarness.check(pier.git(repo, "remote", "get-url", "pier")).out()).contains("/git/new-shop.git");
      assertThat(PlatformHarness.check(pier.cli(repo, "releases", "-a", "new-shop")).out()).contains("v1");
      Result logs = PlatformHarness.check(pier.cli(repo, "logs", "-a", "new-shop", "-n", "300"));
      assertThat(logs.out()).contains("Build started").contains("App renamed from old-shop to new-shop");

      PlatformHarness.write(repo, SampleApps.nodeHello(2));
      pier.commitAll(repo, "version two");
      Result push2 = pier.git(repo, "push", "pier", "main");
      assertThat(push2.exit()).as(push2.all()).isZero();
      assertThat(pier.awaitBody("new-shop", "\"version\":2", Duration.ofSeconds(20))).isTrue();
      assertThat(pier.get("old-shop", "/").status()).isEqualTo(404);

      // A rename to cut-shop killed after its folders moved, before its rows did: the store still
      // says new-shop, so the next start moves the folders back (the doctor must not take them for
      // a deleted app's leftovers) and new-shop serves from its own slugs.
      pier.restart(() -> {
        java.nio.file.Files.writeString(pier.data.resolve("rename-journal"), "new-shop\ncut-shop\n");
        java.nio.file.Files.move(pier.data.resolve("repos/new-shop.git"), pier.data.resolve("repos/cut-shop.git"));
        java.nio.file.Files.move(pier.data.resolve("slugs/new-shop"), pier.data.resolve("slugs/cut-shop"));
      });
      assertThat(pier.awaitBody("new-shop", "\"version\":2", Duration.ofSeconds(30))).isTrue();
      assertThat(pier.get("cut-shop", "/").status()).isEqualTo(404);
      assertThat(java.nio.file.Files.exists(pier.data.resolve("rename-journal"))).isFalse();
      PlatformHarness.write(repo, SampleApps.nodeHello(3));
      pier.commitAll(repo, "version three");
      Result push3 = pier.git(repo, "push", "pier", "main");
      assertThat(push3.exit()).as(push3.all()).isZero();
      assertThat(pier.awaitBody("new-shop", "\"version\":3", Duration.ofSeconds(20))).isTrue();
    }
  }
}
