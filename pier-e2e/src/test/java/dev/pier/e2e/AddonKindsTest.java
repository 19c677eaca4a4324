package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.e2e.PlatformHarness.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Redis, memcached and RabbitMQ add-ons and a second PostgreSQL one on one app: each running,
 * each with its well-known config vars (a second of a kind with a color name), all gone again
 * after destroy.
 */
class AddonKindsTest {
  @TempDir Path tmp;

  @Test
  void everyKindRunsAndGivesTheAppItsWellKnownConfigVars() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp.resolve("pier"))) {
      pier.login();
      Path cwd = tmp.resolve("pier");
      PlatformHarness.check(pier.cli(cwd, "apps:create", "kinds"));
      for (String[] create : new String[][] {{"redis", "kinds-redis"}, {"memcached", "kinds-cache"},
          {"rabbitmq", "kinds-mq"}, {"postgres", "kinds-db"}, {"postgres", "kinds-db-blue"}}) {
        Result r = pier.cli(cwd, "addons:create", create[0], "--as", create[1], "-a", "kinds");
        assertThat(r.exit()).as(r.all()).isZero();
      }

      String config = PlatformHarness.check(pier.cli(cwd, "config", "-a", "kinds")).out();
      assertThat(config).contains("REDIS_URL").contains("MEMCACHIER_SERVERS").contains("MEMCACHIER_USERNAME")
          .contains("MEMCACHIER_PASSWORD").contains("CLOUDAMQP_URL").contains("RABBITMQ_URL").contains("DATABASE_URL")
          .contains("PIER_POSTGRES_BLUE_URL");
      for (String name : new String[] {"kinds-redis", "kinds-cache", "kinds-mq", "kinds-db-blue"}) {
        assertThat(PlatformHarness.check(pier.cli(cwd, "addons:info", name)).out()).containsPattern("Server: +running");
      }
      assertThat(PlatformHarness.check(pier.cli(cwd, "redis:info", "-a", "kinds")).out()).startsWith("=== kinds-redis");

      for (String name : new String[] {"kinds-redis", "kinds-cache", "kinds-mq", "kinds-db", "kinds-db-blue"}) {
        Result r = pier.cli(cwd, "addons:destroy", name, "--confirm", "kinds");
        assertThat(r.exit()).as(r.all()).isZero();
      }
      assertThat(PlatformHarness.check(pier.cli(cwd, "config", "-a", "kinds")).out())
          .doesNotContain("REDIS_URL").doesNotContain("MEMCACHIER").doesNotContain("AMQP").doesNotContain("POSTGRES");
      assertThat(pier.data.resolve("addons").toFile().list()).isEmpty();
    }
  }
}
