package dev.pier.datastores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pier.datastores.memcached.MemcachedBinary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real memcached servers with SASL, one per add-on, run as their own uids in the sandbox. */
class MemcachedDatastoreTest {
  private static Path base;
  private static List<Datastore> catalog;
  private static Datastore memcached;
  private static StoreSpec spec;
  private static Credentials credentials;

  @BeforeAll
  static void startOne() throws Exception {
    TestHosts.assumeRoot();
    base = TestHosts.base();
    catalog = TestHosts.catalog();
    memcached = catalog.stream().filter(d -> d.kind().equals("memcached")).findFirst().orElseThrow();
    spec = TestHosts.spec(memcached, base, "memcached-amber-1");
    credentials = memcached.create(spec);
    memcached.start(spec, credentials);
  }

  @AfterAll
  static void stopAll() {
    if (catalog != null) catalog.forEach(Datastore::close);
    if (base != null) TestHosts.deleteQuietly(base);
  }

  static int authenticate(int port, String user, String password) throws Exception {
    try (MemcachedBinary m = new MemcachedBinary("127.0.0.1", port)) {
      return m.authenticate(user, password);
    }
  }

  @Test
  void anAppAuthenticatesWithSaslPlainAndCaches() throws Exception {
    Map<String, String> vars = memcached.configVars(credentials);
    assertEquals("127.0.0.1:" + spec.port(), vars.get("SERVERS"));
    assertEquals(credentials.user(), vars.get("USERNAME"));
    try (MemcachedBinary m = new MemcachedBinary("127.0.0.1", spec.port())) {
      assertEquals(MemcachedBinary.OK, m.authenticate(vars.get("USERNAME"), vars.get("PASSWORD")));
      assertEquals(MemcachedBinary.OK, m.set("greeting", "hello"));
      assertEquals("hello", m.get("greeting").text());
    }
    Status status = memcached.status(spec, credentials);
    assertEquals("running", status.state());
    assertTrue(status.version().startsWith("memcached 1.6"), status.version());
  }

  @Test
  void withoutTheRightPasswordNothingIsServed() throws Exception {
    assertEquals(MemcachedBinary.AUTH_ERROR, authenticate(spec.port(), credentials.user(), "wrong"));
    try (MemcachedBinary m = new MemcachedBinary("127.0.0.1", spec.port())) {
      assertNotEquals(MemcachedBinary.OK, m.set("sneaky", "x"));
    }
  }

  @Test
  void aServerKilledWithSigkillComesBack() throws Exception {
    Status before = memcached.status(spec, credentials);
    TestHosts.kill9(before.pid());
    assertTrue(TestHosts.eventually(20, () -> {
      Status now = memcached.status(spec, credentials);
      return now.state().equals("running") && now.pid() != before.pid() && !now.version().isEmpty();
    }), () -> memcached.status(spec, credentials).toString());
    assertEquals(MemcachedBinary.OK, authenticate(spec.port(), credentials.user(), credentials.password()));
  }

  @Test
  void rotateRefusesTheOldPasswordWithoutARestart() throws Exception {
    long pid = memcached.status(spec, credentials).pid();
    Credentials old = credentials;
    Credentials fresh = memcached.rotate(spec, old);
    credentials = fresh;
    assertEquals(MemcachedBinary.AUTH_ERROR, authenticate(spec.port(), old.user(), old.password()));
    assertEquals(MemcachedBinary.OK, authenticate(spec.port(), fresh.user(), fresh.password()));
    assertEquals(pid, memcached.status(spec, fresh).pid());
  }

  @Test
  void aTwoStepRotationAlternatesTwoUsersAndAcceptsBothUntilTheOldIsRetired() throws Exception {
    Credentials old = credentials;
    Credentials second = memcached.addPassword(spec, old);
    credentials = second;
    assertNotEquals(old.user(), second.user());
    assertEquals(MemcachedBinary.OK, authenticate(spec.port(), old.user(), old.password()));
    assertEquals(MemcachedBinary.OK, authenticate(spec.port(), second.user(), second.password()));
    memcached.retirePassword(spec, old, second);
    assertEquals(MemcachedBinary.AUTH_ERROR, authenticate(spec.port(), old.user(), old.password()));
    Credentials third = memcached.addPassword(spec, second);
    credentials = third;
    assertEquals(old.user(), third.user());
    memcached.retirePassword(spec, second, third);
    assertEquals(MemcachedBinary.AUTH_ERROR, authenticate(spec.port(), second.user(), second.password()));
    assertEquals(MemcachedBinary.OK, authenticate(spec.port(), third.user(), third.password()));
  }

  @Test
  void createAfterAHalfCreateSucceedsAndDestroyIsIdempotent() throws Exception {
    StoreSpec half = TestHosts.spec(memcached, base, "memcached-half-2");
    Files.createDirectories(half.dataDir().resolve("sasl"));
    Files.writeString(half.dataDir().resolve("sasldb2"), "garbage");
    Credentials c = memcached.create(half);
    memcached.start(half, c);
    assertEquals(MemcachedBinary.OK, authenticate(half.port(), c.user(), c.password()));
    assertEquals(MemcachedBinary.AUTH_ERROR, authenticate(half.port(), credentials.user(), credentials.password()));
    memcached.stop(half.name());
    memcached.start(half, c);
    assertEquals(MemcachedBinary.OK, authenticate(half.port(), c.user(), c.password()));
    memcached.destroy(half);
    assertFalse(Files.exists(half.dataDir()));
    memcached.destroy(half);
  }
}
