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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real PostgreSQL 15 clusters, one per add-on, run as their own uids in the sandbox. */
class PostgresDatastoreTest {
  private static Path base;
  private static List<Datastore> catalog;
  private static Datastore postgres;
  private static StoreSpec spec;
  private static Credentials credentials;

  @BeforeAll
  static void startOne() throws Exception {
    TestHosts.assumeRoot();
    base = TestHosts.base();
    catalog = TestHosts.catalog();
    postgres = catalog.getFirst();
    spec = TestHosts.spec(postgres, base, "postgres-amber-1");
    credentials = postgres.create(spec);
    postgres.start(spec, credentials);
  }

  @AfterAll
  static void stopAll() {
    if (catalog != null) catalog.forEach(Datastore::close);
    if (base != null) TestHosts.deleteQuietly(base);
  }

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
    sql(credentials, "CREATE TABLE notes (v text); INSERT INTO notes VALUES ('hello')");
    assertEquals(List.of("hello"), rows(credentials, "notes"));
    assertTrue(postgres.configVars(credentials).get("URL").startsWith("postgres://" + credentials.user() + ":"));
    Status status = postgres.status(spec, credentials);
    assertEquals("running", status.state());
    assertTrue(status.version().startsWith("PostgreSQL 15"), status.version());
    assertTrue(status.dataBytes() > 0);
    assertTrue(status.pid() > 0);
  }

  @Test
  void aWrongPasswordIsRefused() {
    Credentials wrong = new Credentials(credentials.host(), credentials.port(), credentials.user(), "nope", credentials.path());
    SQLException e = assertThrows(SQLException.class, () -> connect(wrong).close());
    assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
  }

  @Test
  void theAppRoleReachesNoOtherDatabaseAndACreateAfterAHalfCreateWorks() throws Exception {
    Credentials toPostgres = new Credentials(credentials.host(), credentials.port(), credentials.user(), credentials.password(), "postgres");
    assertThrows(SQLException.class, () -> connect(toPostgres).close());
    StoreSpec other = TestHosts.spec(postgres, base, "postgres-other-2");
    // What a Pier killed in the middle of create leaves: a data dir with part of a cluster.
    Files.createDirectories(other.dataDir().resolve("pgdata"));
    Files.writeString(other.dataDir().resolve("pgdata/PG_VERSION"), "15\n");
    Credentials otherCredentials = postgres.create(other);
    assertEquals(otherCredentials, postgres.create(other));
    postgres.start(other, otherCredentials);
    try {
      sql(otherCredentials, "CREATE TABLE secrets (v text); INSERT INTO secrets VALUES ('other')");
      Credentials mineAtOther = new Credentials("127.0.0.1", other.port(), credentials.user(), credentials.password(), otherCredentials.path());
      assertThrows(SQLException.class, () -> connect(mineAtOther).close());
      Credentials otherAtMine = new Credentials("127.0.0.1", spec.port(), otherCredentials.user(), otherCredentials.password(), otherCredentials.path());
      assertThrows(SQLException.class, () -> connect(otherAtMine).close());
      Path otherDir = other.dataDir();
      assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(otherDir)));
      assertEquals(other.uid(), (int) (Integer) Files.getAttribute(otherDir, "unix:uid"));
    } finally {
      postgres.destroy(other);
    }
    assertFalse(Files.exists(other.dataDir()));
    postgres.destroy(other);
    assertEquals("stopped", postgres.status(other, otherCredentials).state());
  }

  @Test
  void aServerKilledWithSigkillComesBackWithItsData() throws Exception {
    sql(credentials, "CREATE TABLE survivors (v text); INSERT INTO survivors VALUES ('kept')");
    Status before = postgres.status(spec, credentials);
    TestHosts.kill9(before.pid());
    assertTrue(TestHosts.eventually(30, () -> {
      Status now = postgres.status(spec, credentials);
      return now.state().equals("running") && now.pid() != before.pid() && !now.version().isEmpty();
    }), () -> postgres.status(spec, credentials).toString());
    assertEquals(List.of("kept"), rows(credentials, "survivors"));
    assertTrue(postgres.status(spec, credentials).restarts() >= 1);
  }

  @Test
  void stopAndStartKeepTheData() throws Exception {
    sql(credentials, "CREATE TABLE lasting (v text); INSERT INTO lasting VALUES ('still here')");
    postgres.stop(spec.name());
    assertEquals("stopped", postgres.status(spec, credentials).state());
    assertThrows(SQLException.class, () -> connect(credentials).close());
    postgres.start(spec, credentials);
    assertEquals(List.of("still here"), rows(credentials, "lasting"));
  }

  @Test
  void rotateRefusesTheOldPasswordWithoutARestart() throws Exception {
    long pid = postgres.status(spec, credentials).pid();
    Credentials old = credentials;
    Credentials fresh = postgres.rotate(spec, old);
    try {
      assertNotEquals(old.password(), fresh.password());
      assertThrows(SQLException.class, () -> connect(old).close());
      connect(fresh).close();
      assertEquals(pid, postgres.status(spec, fresh).pid());
    } finally {
      credentials = fresh;
    }
  }

  @Test
  void aTwoStepRotationAlternatesTwoLoginRolesThatActAsTheOwnerAndRetiresTheOldOne() throws Exception {
    Credentials old = credentials;
    try (Connection open = connect(old)) {
      Credentials second = postgres.addPassword(spec, old);
      credentials = second;
      assertNotEquals(old.user(), second.user());
      connect(old).close();
      sql(second, "CREATE TABLE rotated (v text); INSERT INTO rotated VALUES ('by-second')");
      try (Connection db = connect(second);
          ResultSet rs = db.createStatement().executeQuery("SELECT tableowner FROM pg_tables WHERE tablename = 'rotated'")) {
        assertTrue(rs.next());
        assertEquals(old.user().replace("_b", ""), rs.getString(1), "objects made through either role belong to the owner");
      }
      postgres.retirePassword(spec, old, second);
      assertThrows(SQLException.class, () -> connect(old).close());
      open.createStatement().executeQuery("SELECT 1").close();

      Credentials third = postgres.addPassword(spec, second);
      credentials = third;
      assertEquals(old.user(), third.user());
      postgres.retirePassword(spec, second, third);
      assertThrows(SQLException.class, () -> connect(second).close());
      assertEquals(List.of("by-second"), rows(third, "rotated"));
      sql(third, "DROP TABLE rotated");
    }
  }

  @Test
  void aRestoreBringsBackTheBackupsRowsAndDropsLaterOnes() throws Exception {
    sql(credentials, "CREATE TABLE orders (v text); INSERT INTO orders VALUES ('before')");
    Path backup = base.resolve("backup.dump");
    long size = postgres.backups().orElseThrow().capture(spec, credentials, backup);
    assertTrue(size > 0 && Files.size(backup) == size);
    sql(credentials, "INSERT INTO orders VALUES ('after')");
    assertEquals(List.of("after", "before"), rows(credentials, "orders"));
    try (Connection open = connect(credentials)) {
      postgres.backups().orElseThrow().restore(spec, credentials, backup);
      assertThrows(SQLException.class, () -> open.createStatement().executeQuery("SELECT 1").close(),
          "an app's connection is cut by a restore");
    }
    assertEquals(List.of("before"), rows(credentials, "orders"));
    sql(credentials, "INSERT INTO orders VALUES ('writable')");
  }

  @Test
  void aRestoreCutOffBetweenItsRenamesIsPutRightAtTheNextStart() throws Exception {
    sql(credentials, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('as it was')");
    String db = credentials.path();
    // What a kill -9 between the restore's renames leaves: the database renamed away, the restored one beside it.
    admin("ALTER DATABASE " + db + " RENAME TO " + db + "_old;\nCREATE DATABASE " + db + "_restore;");
    postgres.stop(spec.name());

    postgres.start(spec, credentials);

    assertEquals(List.of("as it was"), rows(credentials, "kept"));
    assertEquals("", admin("SELECT datname FROM pg_database WHERE datname LIKE '" + db + "\\_%';"));
  }

  /** Runs SQL as Pier's superuser through the add-on's socket; returns psql's output. */
  private static String admin(String script) throws Exception {
    return dev.pier.datastores.run.Commands.check(List.of("psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
        "-h", spec.dataDir().resolve("run").toString(), "-p", Integer.toString(spec.port()), "-U", "pier", "-d", "postgres"),
        java.util.Map.of(), script, java.time.Duration.ofSeconds(30)).strip();
  }

  @Test
  void aBackupToAFullDiskFailsCleanlyAndTheServerKeepsServing() throws Exception {
    sql(credentials, "CREATE TABLE big AS SELECT md5(g::text) || repeat('x', 500) AS v FROM generate_series(1, 2000) g");
    try (SmallDisk disk = SmallDisk.mount(base.resolve("small"), 1)) {
      disk.fill();
      Path target = disk.root().resolve("backup.dump");
      DatastoreException e = assertThrows(DatastoreException.class,
          () -> postgres.backups().orElseThrow().capture(spec, credentials, target));
      assertTrue(e.getMessage().contains("space"), e.getMessage());
      assertFalse(Files.exists(target));
    }
    assertEquals(2000, rows(credentials, "big").size());
  }
}
