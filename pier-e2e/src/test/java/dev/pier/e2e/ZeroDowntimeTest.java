package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.e2e.PlatformHarness.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploys, config changes, rollbacks, migrations and restarts under a load of 16 concurrent
 * clients through the router: not one request may fail.
 */
class ZeroDowntimeTest {
  @TempDir Path tmp;

  static String version(String body) {
    return body.replaceAll("(?s).*\"version\":(\\d+).*", "v$1") + "/"
        + body.replaceAll("(?s).*\"greeting\":\"([^\"]*)\".*", "$1");
  }

  @Test
  void noRequestFailsDuringDeployConfigRollbackMigrateAndRestart() throws Exception {
    Map<String, String> report = new LinkedHashMap<>();
    try (PlatformHarness pier = new PlatformHarness(tmp)) {
      pier.login();
      Path repo = pier.repo("steady", SampleApps.nodeHello(1));
      PlatformHarness.check(pier.cli(repo, "apps:create", "steady"));
      PlatformHarness.check(pier.git(repo, "push", "pier", "main"));
      PlatformHarness.check(pier.cli(repo, "ps:scale", "web=2"));
      assertThat(pier.awaitOk("steady", "/", Duration.ofSeconds(20)).status()).isEqualTo(200);

      // deploy v2
      PlatformHarness.write(repo, SampleApps.nodeHello(2));
      pier.commitAll(repo, "v2");
      underLoad(pier, report, "deploy", () -> PlatformHarness.check(pier.git(repo, "push", "pier", "main")));
      assertThat(pier.get("steady", "/").body()).contains("\"version\":2");

      // config change (v3)
      underLoad(pier, report, "config:set", () -> PlatformHarness.check(pier.cli(repo, "config:set", "GREETING=calm")));
      assertThat(pier.get("steady", "/").body()).contains("\"greeting\":\"calm\"");

      // rollback to v2 (v4): code of v2, config of v2 (no GREETING)
      underLoad(pier, report, "rollback", () -> PlatformHarness.check(pier.cli(repo, "rollback", "v2")));
      assertThat(pier.get("steady", "/").body()).contains("\"greeting\":\"hello\"").contains("\"version\":2");

      // a version deployed without promotion, then migrated to (v5)
      PlatformHarness.write(repo, SampleApps.nodeHello(3));
      pier.commitAll(repo, "v3 code");
      Result noPromote = PlatformHarness.check(pier.git(repo, "push", "-o", "no-promote", "pier", "main"));
      assertThat(noPromote.err()).contains("Released v5");
      assertThat(pier.get("steady", "/").body()).contains("\"version\":2");
      underLoad(pier, report, "traffic:migrate", () -> PlatformHarness.check(pier.cli(repo, "traffic:migrate", "v5")));
      assertThat(pier.get("steady", "/").body()).contains("\"version\":3");

      // rolling restart
      underLoad(pier, report, "ps:restart", () -> PlatformHarness.check(pier.cli(repo, "ps:restart")));
      assertThat(pier.get("steady", "/").status()).isEqualTo(200);
    }
    System.out.println("zero-downtime report: " + report);
  }

  private interface Operation {
    void run() throws Exception;
  }

  private static void underLoad(PlatformHarness pier, Map<String, String> report, String name, Operation op)
      throws Exception {
    LoadLoop load = new LoadLoop(pier, "steady", 16, ZeroDowntimeTest::version);
    Thread.sleep(300);
    try {
      op.run();
      Thread.sleep(300);
    } finally {
      load.close();
    }
    report.put(name, load.requests() + " requests, " + load.failures().size() + " failed, seen " + load.seen());
    assertThat(load.requests()).as(name).isGreaterThan(50);
    assertThat(load.failures()).as(name + " under load").isEmpty();
  }
}
