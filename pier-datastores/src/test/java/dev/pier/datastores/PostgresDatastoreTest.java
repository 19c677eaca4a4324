package dev.pier.datastores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pier.testkit.SmallDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Real PostgreSQL 15 clusters, one per add-on, run as their own uids in the sandbox. */
class PostgresDatastoreTest {
  @RegisterExtension static final RunningAddOn addon = new RunningAddOn("postgres", "postgres-amber-1");

  static Connection connect(Credentials c) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://" + c.host() + ":" + c.port() + "/" + c.path() + "?connectTimeout=5", c.user(), c.password());
  }

  static void sql(Credentials c, String sql) throws SQLException {
    try (Connection db = connect(c)) {
      db.createStatement().execute(sql);
    }
  }

  static List<String> rows(Credentials c, String table) throws SQLException {
    try (Connection db = connect(c); ResultSet rs = db.createStatement().executeQuery("SELECT v FROM " + table + " ORDER BY v")) {
      List<String> out = new ArrayList<>();
      while (rs.next()) out.add(rs.getString(1));
      return out;
    }
  }

  @Test
  void anAppConnectsWithItsCredentialsAndKeepsRows() throws Exception {
    sql(addon.credentials, "CREATE TABLE notes (v text); INSERT INTO notes VALUES ('hello')");
    assertEquals(List.of("hello"), rows(addon.credentials, "notes"));
    assertTrue(addon.store.configVars(addon.credentials).get("URL").startsWith("postgres://" + addon.credentials.user() + ":"));
    Status status = addon.status();
    assertEquals("running", status.state());
    assertTrue(status.version().startsWith("PostgreSQL 15"), status.version());
    assertTrue(status.dataBytes() > 0);
    assertTrue(status.pid() > 0);
  }

  @Test
  void aWrongPasswordIsRefused() {
    Credentials wrong = new Credentials(addon.credentials.host(), addon.credentials.port(), addon.credentials.user(), "nope", addon.credentials.path());
    SQLException e = assertThrows(SQLException.class, () -> connect(wrong).close());
    assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
  }

  @Test
  void theAppRoleReachesNoOtherDatabaseAndACreateAfterAHalfCreateWorks() throws Exception {
    Credentials toPostgres = new Credentials(addon.credentials.host(), addon.credentials.port(), addon.credentials.user(), addon.credentials.password(), "postgres");
    assertThrows(SQLException.class, () -> connect(toPostgres).close());
    StoreSpec other = TestHosts.spec(addon.store, addon.base, "postgres-other-2");
    // What a Pier killed in the middle of create leaves: a data dir with part of a cluster.
    Files.createDirectories(other.dataDir().resolve("pgdata"));
    Files.writeString(other.dataDir().resolve("pgdata/PG_VERSION"), "15\n");
    Credentials otherCredentials = addon.store.create(other);
    assertEquals(otherCredentials, addon.store.create(other));
    addon.store.start(other, otherCredentials);
    try {
      sql(otherCredentials, "CREATE TABLE secrets (v text); INSERT INTO secrets VALUES ('other')");
      Credentials mineAtOther = new Credentials("127.0.0.1", other.port(), addon.credentials.user(), addon.credentials.password(), otherCredentials.path());
      assertThrows(SQLException.class, () -> connect(mineAtOther).close());
      Credentials otherAtMine = new Credentials("127.0.0.1", addon.spec.port(), otherCredentials.user(), otherCredentials.password(), otherCredentials.path());
      assertThrows(SQLException.class, () -> connect(otherAtMine).close());
      Path otherDir = other.dataDir();
      assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(otherDir)));
      assertEquals(other.uid(), (int) (Integer) Files.getAttribute(otherDir, "unix:uid"));
    } finally {
      addon.store.destroy(other);
    }
    assertFalse(Files.exists(other.dataDir()));
    addon.store.destroy(other);
    assertEquals("stopped", addon.store.status(other, otherCredentials).state());
  }

  @Test
  void aServerKilledWithSigkillComesBackWithItsData() throws Exception {
    sql(addon.credentials, "CREATE TABLE survivors (v text); INSERT INTO survivors VALUES ('kept')");
    addon.killServerAndAwaitRestart(30);
    assertEquals(List.of("kept"), rows(addon.credentials, "survivors"));
    assertTrue(addon.status().restarts() >= 1);
  }

  @Test
  void stopAndStartKeepTheData() throws Exception {
    sql(addon.credentials, "CREATE TABLE lasting (v text); INSERT INTO lasting VALUES ('still here')");
    addon.store.stop(addon.spec.name());
    assertEquals("stopped", addon.status().state());
    assertThrows(SQLException.class, () -> connect(addon.credentials).close());
    addon.store.start(addon.spec, addon.credentials);
    assertEquals(List.of("still here"), rows(addon.credentials, "lasting"));
  }

  @Test
  void rotateRefusesTheOldPasswordWithoutARestart() throws Exception {
    long pid = addon.status().pid();
    Credentials old = addon.credentials;
    Credentials fresh = addon.store.rotate(addon.spec, old);
    try {
      assertNotEquals(old.password(), fresh.password());
      assertThrows(SQLException.class, () -> connect(old).close());
      connect(fresh).close();
      assertEquals(pid, addon.store.status(addon.spec, fresh).pid());
    } finally {
      addon.credentials = fresh;
    }
  }

  @Test
  void aTwoStepRotationAlternatesTwoLoginRolesThatActAsTheOwnerAndRetiresTheOldOne() throws Exception {
    Credentials old = addon.credentials;
    try (Connection open = connect(old)) {
      Credentials second = addon.addPassword();
      assertNotEquals(old.user(), second.user());
      connect(old).close();
      sql(second, "CREATE TABLE rotated (v text); INSERT INTO rotated VALUES ('by-second')");
      try (Connection db = connect(second);
          ResultSet rs = db.createStatement().executeQuery("SELECT tableowner FROM pg_tables WHERE tablename = 'rotated'")) {
        assertTrue(rs.next());
        assertEquals(old.user().replace("_b", ""), rs.getString(1), "objects made through either role belong to the owner");
      }
      addon.store.retirePassword(addon.spec, old, second);
      assertThrows(SQLException.class, () -> connect(old).close());
      open.createStatement().executeQuery("SELECT 1").close();

      Credentials third = addon.addPassword();
      assertEquals(old.user(), third.user());
      addon.store.retirePassword(addon.spec, second, third);
      assertThrows(SQLException.class, () -> connect(second).close());
      assertEquals(List.of("by-second"), rows(third, "rotated"));
      sql(third, "DROP TABLE rotated");
    }
  }

  @Test
  void aRestoreBringsBackTheBackupsRowsAndDropsLaterOnes() throws Exception {
    sql(addon.credentials, "CREATE TABLE orders (v text); INSERT INTO orders VALUES ('before')");
    Path backup = addon.base.resolve("backup.dump");
    long size = addon.store.backups().orElseThrow().capture(addon.spec, addon.credentials, backup);
    assertTrue(size > 0 && Files.size(backup) == size);
    sql(addon.credentials, "INSERT INTO orders VALUES ('after')");
    assertEquals(List.of("after", "before"), rows(addon.credentials, "orders"));
    try (Connection open = connect(addon.credentials)) {
      addon.store.backups().orElseThrow().restore(addon.spec, addon.credentials, backup);
      assertThrows(SQLException.class, () -> open.createStatement().executeQuery("SELECT 1").close(),
          "an app's connection is cut by a restore");
    }
    assertEquals(List.of("before"), rows(addon.credentials, "orders"));
    sql(addon.credentials, "INSERT INTO orders VALUES ('writable')");
  }

  @Test
  void aRestoreCutOffBetweenItsRenamesIsPutRightAtTheNextStart() throws Exception {
    sql(addon.credentials, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('as it was')");
    String db = addon.credentials.path();
    // What a kill -9 between the restore's renames leaves: the database renamed away, the restored one beside it.
    admin("ALTER DATABASE " + db + " RENAME TO " + db + "_old;\nCREATE DATABASE " + db + "_restore;");
    addon.store.stop(addon.spec.name());

    addon.store.start(addon.spec, addon.credentials);

    assertEquals(List.of("as it was"), rows(addon.credentials, "kept"));
    assertEquals("", admin("SELECT datname FROM pg_database WHERE datname LIKE '" + db + "\\_%';"));
  }

  /** Runs SQL as Pier's superuser through the add-on's socket; returns psql's output. */
  private static String admin(String script) throws Exception {
    return dev.pier.datastores.run.Commands.check(List.of("psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
        "-h", addon.spec.dataDir().resolve("run").toString(), "-p", Integer.toString(addon.spec.port()), "-U", "pier", "-d", "postgres"),
        java.util.Map.of(), script, java.time.Duration.ofSeconds(30)).strip();
  }

  @Test
  void anAddOnFillingItsDiskGetsNoSpaceErrorsWhileReadsAndOtherAddOnsGoOn() throws Exception {
    StoreSpec small = TestHosts.spec(addon.store, addon.base, "postgres-full-4", 96L << 20);
    long start = System.nanoTime();
    Credentials c = addon.createAndStart(small);
    System.out.printf("create and start with a 96 MiB disk: %d ms%n", (System.nanoTime() - start) / 1_000_000);
    try {
      sql(c, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('before')");
      // A logged table: its file hits the cap (an ERROR); the write-ahead log is outside the disk,
      // so PostgreSQL itself keeps running (with the log on the disk it would PANIC and stay down).
      sql(c, "CREATE TABLE big (v text)");
      SQLException full = assertThrows(SQLException.class, () -> {
        try (Connection db = connect(c)) {
          // In batches: one big generate_series would spill to a temporary file and fail there.
          for (int i = 0; i < 40; i++) db.createStatement().execute("INSERT INTO big SELECT md5(g::text) FROM generate_series(1, 100000) g");
        }
      });
      assertTrue(full.getMessage().contains("could not extend file"), full.getMessage());
      assertTrue(full.getMessage().contains("No space left on device"), full.getMessage());
      assertEquals(List.of("before"), rows(c, "kept"), "reads go on");
      sql(addon.credentials, "CREATE TABLE IF NOT EXISTS neighbour (v text); INSERT INTO neighbour VALUES ('fine')");
      assertEquals("running", addon.store.status(small, c).state());
      sql(c, "DROP TABLE big; INSERT INTO kept VALUES ('after')");
      assertEquals(List.of("after", "before"), rows(c, "kept").stream().sorted().toList(), "room made, writes work again");
    } finally {
      addon.store.destroy(small);
    }
    assertFalse(Files.exists(small.dataDir()));
    assertFalse(Files.exists(small.dataDir().resolveSibling(small.dataDir().getFileName() + ".wal")), "its log went too");
    assertFalse(Files.exists(TestHosts.image(small)));
  }

  @Test
  void aServerWhoseDiskFilledUpStartsAgainAndRoomCanBeMade() throws Exception {
    StoreSpec small = TestHosts.spec(addon.store, addon.base, "postgres-full-5", 96L << 20);
    Credentials c = addon.createAndStart(small);
    try {
      try (Connection db = connect(c)) {
        db.createStatement().execute("CREATE TABLE big (v text)");
        assertThrows(SQLException.class, () -> {
          for (int i = 0; i < 60; i++) db.createStatement().execute("INSERT INTO big SELECT md5(g::text) FROM generate_series(1, 100000) g");
        });
        for (int i = 0; i < 400; i++) { // the last blocks too: catalog entries of small tables
          try {
            db.createStatement().execute("CREATE TABLE t" + i + " (v text); INSERT INTO t" + i + " VALUES ('x')");
          } catch (SQLException full) {
            // no space
          }
        }
      }
      addon.store.stop(small.name()); // a Pier restart, as far as the add-on can tell
      addon.store.start(small, c);
      // Without room held back, every connection now failed ("could not write init file").
      sql(c, "DROP TABLE big; CREATE TABLE kept (v text); INSERT INTO kept VALUES ('after')");
      assertEquals(List.of("after"), rows(c, "kept"));
    } finally {
      addon.store.destroy(small);
    }
  }

  @Test
  void aBackupToAFullDiskFailsCleanlyAndTheServerKeepsServing() throws Exception {
    sql(addon.credentials, "CREATE TABLE big AS SELECT md5(g::text) || repeat('x', 500) AS v FROM generate_series(1, 2000) g");
    try (SmallDisk disk = SmallDisk.mount(addon.base.resolve("small"), 1)) {
      disk.fill();
      Path target = disk.root().resolve("backup.dump");
      DatastoreException e = assertThrows(DatastoreException.class,
          () -> addon.store.backups().orElseThrow().capture(addon.spec, addon.credentials, target));
      assertTrue(e.getMessage().contains("space"), e.getMessage());
      assertFalse(Files.exists(target));
    }
    assertEquals(2000, rows(addon.credentials, "big").size());
  }
}
