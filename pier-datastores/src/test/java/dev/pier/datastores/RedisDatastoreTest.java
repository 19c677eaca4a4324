package dev.pier.datastores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pier.datastores.redis.Resp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real redis-servers, one per add-on, run as their own uids in the sandbox. */
class RedisDatastoreTest {
  private static Path base;
  private static List<Datastore> catalog;
  private static Datastore redis;
  private static StoreSpec spec;
  private static Credentials credentials;

  @BeforeAll
  static void startOne() throws Exception {
    TestHosts.assumeRoot();
    base = TestHosts.base();
    catalog = TestHosts.catalog();
    redis = catalog.stream().filter(d -> d.kind().equals("redis")).findFirst().orElseThrow();
    spec = TestHosts.spec(redis, base, "redis-amber-1");
    credentials = redis.create(spec);
    redis.start(spec, credentials);
  }

  @AfterAll
  static void stopAll() {
    if (catalog != null) catalog.forEach(Datastore::close);
    if (base != null) TestHosts.deleteQuietly(base);
  }

  static Resp connect(Credentials c) throws Exception {
    Resp r = Resp.tcp(c.host(), c.port());
    Object auth = r.call("AUTH", c.password());
    if (!"OK".equals(auth)) {
      r.close();
      throw new IllegalStateException("refused: " + auth);
    }
    return r;
  }

  @Test
  void anAppConnectsWithItsUrlAndKeepsKeys() throws Exception {
    String url = redis.configVars(credentials).get("URL");
    assertEquals("redis://:" + credentials.password() + "@127.0.0.1:" + spec.port(), url);
    try (Resp r = connect(credentials)) {
      assertEquals("OK", r.call("SET", "greeting", "hello"));
      assertEquals("hello", r.call("GET", "greeting"));
    }
    Status status = redis.status(spec, credentials);
    assertEquals("running", status.state());
    assertTrue(status.version().startsWith("Redis 7"), status.version());
  }

  @Test
  void withoutThePasswordNothingIsServed() throws Exception {
    try (Resp r = Resp.tcp("127.0.0.1", spec.port())) {
      assertInstanceOf(Resp.Error.class, r.call("GET", "greeting"));
      assertInstanceOf(Resp.Error.class, r.call("AUTH", "wrong"));
    }
  }

  @Test
  void theAppCannotReconfigureOrStopTheServer() throws Exception {
    try (Resp r = connect(credentials)) {
      for (String[] command : List.of(
          new String[] {"CONFIG", "SET", "maxmemory", "0"}, new String[] {"SHUTDOWN", "NOSAVE"},
          new String[] {"ACL", "LIST"}, new String[] {"DEBUG", "SLEEP", "0"}, new String[] {"REPLICAOF", "127.0.0.1", "1"},
          new String[] {"MODULE", "LIST"})) {
        Object reply = r.call(command);
        assertInstanceOf(Resp.Error.class, reply, String.join(" ", command) + " -> " + reply);
      }
      assertEquals("PONG", r.call("PING"));
    }
  }

  @Test
  void aServerKilledWithSigkillComesBackWithItsData() throws Exception {
    try (Resp r = connect(credentials)) {
      assertEquals("OK", r.call("SET", "survivor", "kept"));
    }
    Status before = redis.status(spec, credentials);
    TestHosts.kill9(before.pid());
    assertTrue(TestHosts.eventually(20, () -> {
      Status now = redis.status(spec, credentials);
      return now.state().equals("running") && now.pid() != before.pid() && !now.version().isEmpty();
    }), () -> redis.status(spec, credentials).toString());
    try (Resp r = connect(credentials)) {
      assertEquals("kept", r.call("GET", "survivor"));
    }
  }

  @Test
  void stopAndStartKeepTheData() throws Exception {
    try (Resp r = connect(credentials)) {
      assertEquals("OK", r.call("SET", "lasting", "still here"));
    }
    redis.stop(spec.name());
    assertEquals("stopped", redis.status(spec, credentials).state());
    redis.start(spec, credentials);
    try (Resp r = connect(credentials)) {
      assertEquals("still here", r.call("GET", "lasting"));
    }
  }

  @Test
  void rotateRefusesTheOldPasswordWithoutARestartAndSurvivesOne() throws Exception {
    long pid = redis.status(spec, credentials).pid();
    Credentials old = credentials;
    Credentials fresh = redis.rotate(spec, old);
    credentials = fresh;
    assertNotEquals(old.password(), fresh.password());
    try (Resp r = Resp.tcp("127.0.0.1", spec.port())) {
      assertInstanceOf(Resp.Error.class, r.call("AUTH", old.password()));
    }
    connect(fresh).close();
    assertEquals(pid, redis.status(spec, fresh).pid());
    redis.stop(spec.name());
    redis.start(spec, fresh);
    connect(fresh).close();
  }

  @Test
  void aTwoStepRotationAcceptsBothPasswordsUntilTheOldOneIsRetired() throws Exception {
    Credentials old = credentials;
    try (Resp open = connect(old)) {
      Credentials fresh = redis.addPassword(spec, old);
      credentials = fresh;
      assertNotEquals(old.password(), fresh.password());
      connect(old).close();
      connect(fresh).close();
      redis.retirePassword(spec, old, fresh);
      try (Resp r = Resp.tcp("127.0.0.1", spec.port())) {
        assertInstanceOf(Resp.Error.class, r.call("AUTH", old.password()));
      }
      connect(fresh).close();
      assertEquals("PONG", open.call("PING"), "a connection made with the old password stays open");
    }
  }

  @Test
  void aPortTakenByAnotherProgramFailsTheStartAtOnce() throws Exception {
    StoreSpec taken = TestHosts.spec(redis, base, "redis-taken-3");
    Credentials c = redis.create(taken);
    try (java.net.ServerSocket squatter = new java.net.ServerSocket(taken.port(), 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      long start = System.nanoTime();
      DatastoreException e = assertThrows(DatastoreException.class, () -> redis.start(taken, c));
      assertTrue(e.getMessage().contains("port " + taken.port() + " on 127.0.0.1 is in use"), e.getMessage());
      assertTrue(System.nanoTime() - start < 5_000_000_000L);
      assertEquals("stopped", redis.status(taken, c).state());
    } finally {
      redis.destroy(taken);
    }
  }

  @Test
  void createAfterAHalfCreateSucceedsAndDestroyIsIdempotent() throws Exception {
    StoreSpec half = TestHosts.spec(redis, base, "redis-half-2");
    Files.createDirectories(half.dataDir().resolve("data"));
    Files.writeString(half.dataDir().resolve("users.acl"), "garbage");
    Credentials c = redis.create(half);
    redis.start(half, c);
    try (Resp r = connect(c)) {
      assertEquals("PONG", r.call("PING"));
    }
    try (Resp r = Resp.tcp("127.0.0.1", half.port())) {
      assertInstanceOf(Resp.Error.class, r.call("AUTH", credentials.password()));
    }
    redis.destroy(half);
    assertFalse(Files.exists(half.dataDir()));
    redis.destroy(half);
  }
}
