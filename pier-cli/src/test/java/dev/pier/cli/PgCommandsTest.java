package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PgCommandsTest extends FakeApiTest {
  @Test
  void backupsAreCapturedListedAndRestoredOnTheAppsDatabase() {
    cli.run("addons:create", "postgres", "--as", "main-db", "-a", "hello");
    assertThat(cli.run("pg:backups", "-a", "hello").out()).contains("No backups.").contains("No daily backups; keeps the last 5");

    var capture = cli.run("pg:backups:capture", "-a", "hello");
    assertThat(capture.exitCode()).as(capture.err()).isZero();
    assertThat(capture.out()).isEqualTo("Captured b001 of main-db (2.0 KB)\n");
    assertThat(cli.run("pg:backups", "-a", "hello").out()).containsPattern("b001 +2026-12-07T20:00:00Z +done +2.0 KB +manual");

    var unconfirmed = cli.run("pg:backups:restore", "b001", "-a", "hello");
    assertThat(unconfirmed.exitCode()).isNotZero();
    var missing = cli.run("pg:backups:restore", "b004", "--confirm", "hello", "-a", "hello");
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.err()).contains("no backup b004 of main-db");
    var restore = cli.run("pg:backups:restore", "--confirm", "hello", "-a", "hello");
    assertThat(restore.exitCode()).as(restore.err()).isZero();
    assertThat(restore.out()).isEqualTo("Restored b001 to main-db\n");
    assertThat(api.requests).contains("POST /addons/main-db/backups/latest/restore?confirm=hello");

    var schedule = cli.run("pg:backups:schedule", "--at", "02:00", "--keep", "7", "-a", "hello");
    assertThat(schedule.out()).isEqualTo("Backing up daily at 02:00 UTC; keeping the last 7\n");
  }

  @Test
  void anAppWithoutAPostgresAddOnIsToldHowToCreateOne() {
    var info = cli.run("pg:info", "-a", "hello");

    assertThat(info.exitCode()).isNotZero();
    assertThat(info.err()).contains("hello has no postgres add-on. Create one with: pier addons:create postgres -a hello");
  }

  @Test
  void pgInfoShowsTheDatabasesStatus() {
    cli.run("addons:create", "postgres", "--as", "main-db", "-a", "hello");

    var info = cli.run("pg:info", "-a", "hello");

    assertThat(info.exitCode()).as(info.err()).isZero();
    assertThat(info.out()).startsWith("=== main-db").contains("PostgreSQL 15.20").containsPattern("Data size: +8.0 MB")
        .containsPattern("Storage: +1.0 GB \\(not enforced on this server: no loop disks\\)");
  }

  @Test
  void rollbackWithDataRestoresTheDataFirstAndNeedsTheVersionAndConfirmation() {
    var noConfirm = cli.run("rollback", "v1", "--with-data", "-a", "hello");
    assertThat(noConfirm.exitCode()).isNotZero();
    assertThat(noConfirm.err()).contains("confirm with --confirm hello");
    assertThat(api.rollbackData).isEmpty();

    var rollback = cli.run("rollback", "v1", "--with-data", "--confirm", "hello", "-a", "hello");

    assertThat(rollback.out()).startsWith("Restoring hello's PostgreSQL data as v1 left it... done\nRolling back hello to v1");
    assertThat(api.rollbackData).containsExactly("{\"version\":1,\"confirm\":\"hello\"}");
  }

  @Test
  void psqlAndRedisCliGetTheirPasswordsInTheEnvironmentNotOnTheirCommandLines(@org.junit.jupiter.api.io.TempDir java.nio.file.Path bin)
      throws Exception {
    for (String tool : java.util.List.of("psql", "redis-cli")) {
      java.nio.file.Path script = bin.resolve(tool);
      java.nio.file.Files.writeString(script, "#!/bin/sh\necho \"argv: $*\"\necho \"env: $PGUSER $PGPASSWORD $PGHOST $PGPORT $PGDATABASE $REDISCLI_AUTH\"\n");
      script.toFile().setExecutable(true);
    }
    String pg = sh(bin, PgCommands.psqlCommand("DATABASE_URL", "SELECT 1"),
        "DATABASE_URL", "postgres://u1:s3cretPw@127.0.0.1:41001/db1");
    assertThat(pg).contains("argv: -c SELECT 1").contains("env: u1 s3cretPw 127.0.0.1 41001 db1");
    assertThat(pg.lines().filter(l -> l.startsWith("argv")).findFirst().orElseThrow()).doesNotContain("s3cretPw");
    String redis = sh(bin, PgCommands.redisCliCommand("REDIS_URL"), "REDIS_URL", "redis://:r3disPw@127.0.0.1:41002");
    assertThat(redis).contains("argv: -h 127.0.0.1 -p 41002").contains("r3disPw")
        .doesNotContain("argv: -u").doesNotContain("argv: -h 127.0.0.1 -p 41002 r3disPw");
  }

  private static String sh(java.nio.file.Path bin, String command, String var, String url) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":/usr/bin:/bin");
    pb.environment().put(var, url);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }
}
