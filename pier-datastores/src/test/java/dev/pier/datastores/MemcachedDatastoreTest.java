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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Real memcached servers with SASL, one per add-on, run as their own uids in the sandbox. */
class MemcachedDatastoreTest {
  @RegisterExtension static final RunningAddOn addon = new RunningAddOn("memcached", "memcached-amber-1");

  static int authenticate(int port, String user, String password) throws Exception {
    try (MemcachedBinary m = new MemcachedBinary("127.0.0.1", port)) {
      return m.authenticate(user, password);
    }
  }

  @Test
  void anAppAuthenticatesWithSaslPlainAndCaches() throws Exception {
    Map<String, String> vars = addon.store.configVars(addon.credentials);
    assertEquals("127.0.0.1:" + addon.spec.port(), vars.get("SERVERS"));
    assertEquals(addon.credentials.user(), vars.get("USERNAME"));
    try (MemcachedBinary m = new MemcachedBinary("127.0.0.1", addon.spec.port())) {
      assertEquals(MemcachedBinary.OK, m.authenticate(vars.get("USERNAME"), vars.get("PASSWORD")));
      assertEquals(MemcachedBinary.OK, m.set("greeting", "hello"));
      assertEquals("hello", m.get("greeting").text());
    }
    Status status = addon.status();
    assertEquals("running", status.state());
    assertTrue(status.version().startsWith("memcached 1.6"), status.version());
  }

  @Test
  void withoutTheRightPasswordNothingIsServed() throws Exception {
    assertEquals(MemcachedBinary.AUTH_ERROR, authenticate(addon.spec.port(), addon.credentials.user(), "wrong"));
    try (MemcachedBinary m = new MemcachedBinary("127.0.0.1", addon.spec.port())) {
      assertNotEquals(MemcachedBinary.OK, m.set("sneaky", "x"));
    }
  }

  @Test
  void aServerKilledWithSigkillComesBack() throws Exception {
    addon.killServerAndAwaitRestart(20);
    assertEquals(MemcachedBinary.OK, authenticate(addon.spec.port(), addon.credentials.user(), addon.credentials.password()));
  }

  @Test
  void rotateRefusesTheOldPasswordWithoutARestart() throws Exception {
    long pid = addon.status().pid();
    Credentials old = addon.credentials;
    Credentials fresh = addon.rotate();
    assertEquals(MemcachedBinary.AUTH_ERROR, authenticate(addon.spec.port(), old.user(), old.password()));
    assertEquals(MemcachedBinary.OK, authenticate(addon.spec.port(), fresh.user(), fresh.password()));
    assertEquals(pid, addon.store.status(addon.spec, fresh).pid());
  }

  @Test
  void aTwoStepRotationAlternatesTwoUsersAndAcceptsBothUntilTheOldIsRetired() throws Exception {
    Credentials old = addon.credentials;
    Credentials second = addon.addPassword();
    assertNotEquals(old.user(), second.user());
    assertEquals(MemcachedBinary.OK, authenticate(addon.spec.port(), old.user(), old.password()));
    assertEquals(MemcachedBinary.OK, authenticate(addon.spec.port(), second.user(), second.password()));
    addon.store.retirePassword(addon.spec, old, second);
    assertEquals(MemcachedBinary.AUTH_ERROR, authenticate(addon.spec.port(), old.user(), old.password()));
    Credentials third = addon.addPassword();
    assertEquals(old.user(), third.user());
    addon.store.retirePassword(addon.spec, second, third);
    assertEquals(MemcachedBinary.AUTH_ERROR, authenticate(addon.spec.port(), second.user(), second.password()));
    assertEquals(MemcachedBinary.OK, authenticate(addon.spec.port(), third.user(), third.password()));
  }

  @Test
  void createAfterAHalfCreateSucceedsAndDestroyIsIdempotent() throws Exception {
    StoreSpec half = addon.halfMade("memcached-half-2", "sasl", "sasldb2");
    Credentials c = addon.createAndStart(half);
    assertEquals(MemcachedBinary.OK, authenticate(half.port(), c.user(), c.password()));
    assertEquals(MemcachedBinary.AUTH_ERROR, authenticate(half.port(), addon.credentials.user(), addon.credentials.password()));
    addon.store.stop(half.name());
    addon.store.start(half, c);
    assertEquals(MemcachedBinary.OK, authenticate(half.port(), c.user(), c.password()));
    addon.store.destroy(half);
    assertFalse(Files.exists(half.dataDir()));
    addon.store.destroy(half);
  }
}
