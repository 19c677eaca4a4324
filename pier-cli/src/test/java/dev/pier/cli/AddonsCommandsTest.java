package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AddonsCommandsTest extends FakeApiTest {
  @Test
  void aCreatedAddOnIsListedWithItsVarsAndShownByInfo() {
    var none = cli.run("addons", "-a", "hello");
    assertThat(none.exitCode()).as(none.err()).isZero();
    assertThat(none.out()).contains("hello has no add-ons");

    var create = cli.run("addons:create", "postgres", "--plan", "medium", "--as", "main-db", "-a", "hello");
    assertThat(create.exitCode()).as(create.err()).isZero();
    assertThat(api.lastBody.toString()).isEqualTo("{\"kind\":\"postgres\",\"plan\":\"medium\",\"name\":\"main-db\"}");
    assertThat(create.err()).contains("Creating postgres:medium on hello... done");
    assertThat(create.out()).startsWith("Created main-db (postgres:medium) as DATABASE_URL");

    assertThat(cli.run("addons", "-a", "hello").out()).containsPattern("main-db +postgres:medium +ready +DATABASE_URL");
    var info = cli.run("addons:info", "main-db");
    assertThat(info.exitCode()).as(info.err()).isZero();
    assertThat(info.out()).startsWith("=== main-db").containsPattern("Connections: +3").contains("PostgreSQL 15.20")
        .containsPattern("hello +DATABASE_URL");
  }

  @Test
  void attachDetachAndDestroyNeedTheRightAppsAndSayWhatFailed() {
    api.deployedApp("blog");
    cli.run("addons:create", "postgres", "--as", "main-db", "-a", "hello");

    var attach = cli.run("addons:attach", "main-db", "-a", "blog");
    assertThat(attach.exitCode()).as(attach.err()).isZero();
    assertThat(attach.out()).isEqualTo("Attaching main-db to blog... done, as DATABASE_URL\n");
    assertThat(cli.run("addons", "--all", "-a", "hello").out()).containsPattern("main-db .* hello, blog");

    var wrongApp = cli.run("addons:destroy", "main-db", "--confirm", "blog");
    assertThat(wrongApp.exitCode()).isNotZero();
    assertThat(wrongApp.err()).contains("confirm with --confirm hello");
    var shared = cli.run("addons:destroy", "main-db", "--confirm", "hello");
    assertThat(shared.exitCode()).isNotZero();
    assertThat(shared.err()).contains("--force");

    assertThat(cli.run("addons:detach", "main-db", "-a", "blog").out()).isEqualTo("Detaching main-db from blog... done\n");
    var destroy = cli.run("addons:destroy", "main-db", "--confirm", "hello");
    assertThat(destroy.exitCode()).as(destroy.err()).isZero();
    assertThat(api.requests).contains("DELETE /addons/main-db?confirm=hello");
    assertThat(cli.run("addons:info", "main-db").err()).contains("no add-on named main-db");
  }

  @Test
  void rotateSaysWhichAppsWereRestarted() {
    cli.run("addons:create", "redis", "--as", "cache", "-a", "hello");

    var rotate = cli.run("addons:rotate", "cache");

    assertThat(rotate.exitCode()).as(rotate.err()).isZero();
    assertThat(rotate.out()).isEqualTo("Rotating the credentials of cache... done; restarted hello\n");
    assertThat(api.requests).contains("POST /addons/cache/rotate");
  }

  @Test
  void anUnknownKindIsRefusedWithTheServersMessage() {
    var result = cli.run("addons:create", "mysql", "-a", "hello");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.err()).contains("unknown add-on kind 'mysql'");
  }

  @Test
  void plansAreListedByKind() {
    var plans = cli.run("addons:plans");
    assertThat(plans.exitCode()).as(plans.err()).isZero();
    assertThat(plans.out()).containsPattern("postgres +small +256.0 MB +20 +1.0 GB");
  }
}
