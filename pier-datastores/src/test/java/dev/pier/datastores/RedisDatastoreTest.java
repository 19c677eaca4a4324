package dev.pier.datastores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.datastores.redis.Resp;
import dev.pier.sandbox.Cgroup;
import dev.pier.sandbox.CgroupLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Real redis-servers, one per add-on, run as their own uids in the sandbox. */
class RedisDatastoreTest {
  @RegisterExtension static final RunningAddOn addon = new RunningAddOn("redis", "redis-amber-1");

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
    String url = addon.store.configVars(addon.credentials).get("URL");
    assertEquals("redis://:" + addon.credentials.password() + "@127.0.0.1:" + addon.spec.port(), url);
    try (Resp r = connect(addon.credentials)) {
      assertEquals("OK", r.call("SET", "greeting", "hello"));
      assertEquals("hello", r.call("GET", "greeting"));
    }
    Status status = addon.status();
    assertEquals("running", status.state());
    assertTrue(status.version().startsWith("Redis 7"), status.version());
  }

  @Test
  void withoutThePasswordNothingIsServed() throws Exception {
    try (Resp r = Resp.tcp("127.0.0.1", addon.spec.port())) {
      assertInstanceOf(Resp.Error.class, r.call("GET", "greeting"));
      assertInstanceOf(Resp.Error.class, r.call("AUTH", "wrong"));
    }
  }

  @Test
  void theAppCannotReconfigureOrStopTheServer() throws Exception {
    try (Resp r = connect(addon.credentials)) {
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
    try (Resp r = connect(addon.credentials)) {
      assertEquals("OK", r.call("SET", "survivor", "kept"));
    }
    addon.killServerAndAwaitRestart(20);
    try (Resp r = connect(addon.credentials)) {
      assertEquals("kept", r.call("GET", "survivor"));
    }
  }

  @Test
  void stopAndStartKeepTheDataOnTheSameDisk() throws Exception {
    try (Resp r = connect(addon.credentials)) {
      assertEquals("OK", r.call("SET", "lasting", "still here"));
    }
    assertTrue(TestHosts.mounted(addon.spec.dataDir()), "the add-on's folder is its own disk");
    Object image = TestHosts.inode(TestHosts.image(addon.spec));
    addon.store.stop(addon.spec.name());
    assertEquals("stopped", addon.status().state());
    assertFalse(TestHosts.mounted(addon.spec.dataDir()), "a stopped add-on's disk is unmounted");
    addon.store.start(addon.spec, addon.credentials);
    try (Resp r = connect(addon.credentials)) {
      assertEquals("still here", r.call("GET", "lasting"));
    }
    assertTrue(TestHosts.mounted(addon.spec.dataDir()));
    assertEquals(image, TestHosts.inode(TestHosts.image(addon.spec)), "the same image");
  }

  @Test
  void anAddOnFillingItsDiskGetsMisconfErrorsOnWritesWhileReadsAndOtherAddOnsGoOn() throws Exception {
    StoreSpec small = TestHosts.spec(addon.store, addon.base, "redis-full-5", 24L << 20);
    long start = System.nanoTime();
    Credentials c = addon.createAndStart(small);
    System.out.printf("create and start with a 24 MiB disk: %d ms%n", (System.nanoTime() - start) / 1_000_000);
    try {
      String megabyte = "x".repeat(1 << 20);
      Object refused = null;
      try (Resp r = connect(c)) {
        assertEquals("OK", r.call("SET", "first", "kept"));
        // Overwriting one key keeps memory small; the append-only file grows by each write.
        for (int i = 0; i < 64 && !(refused instanceof Resp.Error); i++) refused = r.call("SET", "big", megabyte);
        assertInstanceOf(Resp.Error.class, refused, "writes past the plan's storage are refused");
        assertTrue(((Resp.Error) refused).message().startsWith("MISCONF"), refused.toString());
        assertTrue(((Resp.Error) refused).message().contains("No space left on device"), refused.toString());
        assertEquals("kept", r.call("GET", "first"), "reads go on");
      }
      try (Resp other = connect(addon.credentials)) {
        assertEquals("OK", other.call("SET", "neighbour", "unaffected"));
      }
      assertTrue(java.nio.file.Files.size(TestHosts.image(small)) == 24L << 20);
    } finally {
      addon.store.destroy(small);
    }
    assertFalse(Files.exists(small.dataDir()));
    assertFalse(Files.exists(TestHosts.image(small)));
  }

  @Test
  void rotateRefusesTheOldPasswordWithoutARestartAndSurvivesOne() throws Exception {
    long pid = addon.status().pid();
    Credentials old = addon.credentials;
    Credentials fresh = addon.rotate();
    assertNotEquals(old.password(), fresh.password());
    try (Resp r = Resp.tcp("127.0.0.1", addon.spec.port())) {
      assertInstanceOf(Resp.Error.class, r.call("AUTH", old.password()));
    }
    connect(fresh).close();
    assertEquals(pid, addon.store.status(addon.spec, fresh).pid());
    addon.store.stop(addon.spec.name());
    addon.store.start(addon.spec, fresh);
    connect(fresh).close();
  }

  @Test
  void aTwoStepRotationAcceptsBothPasswordsUntilTheOldOneIsRetired() throws Exception {
    Credentials old = addon.credentials;
    try (Resp open = connect(old)) {
      Credentials fresh = addon.addPassword();
      assertNotEquals(old.password(), fresh.password());
      connect(old).close();
      connect(fresh).close();
      addon.store.retirePassword(addon.spec, old, fresh);
      try (Resp r = Resp.tcp("127.0.0.1", addon.spec.port())) {
        assertInstanceOf(Resp.Error.class, r.call("AUTH", old.password()));
      }
      connect(fresh).close();
      assertEquals("PONG", open.call("PING"), "a connection made with the old password stays open");
    }
  }

  @Test
  void aPortTakenByAnotherProgramFailsTheStartAtOnce() throws Exception {
    StoreSpec taken = TestHosts.spec(addon.store, addon.base, "redis-taken-3");
    Credentials c = addon.store.create(taken);
    try (java.net.ServerSocket squatter = new java.net.ServerSocket(taken.port(), 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      long start = System.nanoTime();
      DatastoreException e = assertThrows(DatastoreException.class, () -> addon.store.start(taken, c));
      assertTrue(e.getMessage().contains("port " + taken.port() + " on 127.0.0.1 is in use"), e.getMessage());
      assertTrue(System.nanoTime() - start < 5_000_000_000L);
      assertEquals("stopped", addon.store.status(taken, c).state());
    } finally {
      addon.store.destroy(taken);
    }
  }

  @Test
  void createAfterAHalfCreateSucceedsAndDestroyIsIdempotent() throws Exception {
    StoreSpec half = addon.halfMade("redis-half-2", "data", "users.acl");
    Credentials c = addon.createAndStart(half);
    try (Resp r = connect(c)) {
      assertEquals("PONG", r.call("PING"));
    }
    try (Resp r = Resp.tcp("127.0.0.1", half.port())) {
      assertInstanceOf(Resp.Error.class, r.call("AUTH", addon.credentials.password()));
    }
    assertFalse(TestHosts.cgroupsOf(half.name()).isEmpty(), "the running server's cgroup");
    assertTrue(TestHosts.mounted(half.dataDir()));
    addon.store.destroy(half);
    assertFalse(Files.exists(half.dataDir()));
    assertFalse(Files.exists(TestHosts.image(half)), "the disk image is deleted");
    assertFalse(java.nio.file.Files.readString(Path.of("/proc/self/mountinfo")).contains(half.dataDir().toString()),
        "nothing is left mounted");
    assertEquals(List.of(), TestHosts.cgroupsOf(half.name()));
    addon.store.destroy(half);
  }

  @Test
  void destroyRemovesTheAddOnsCgroupWithWhateverIsLeftInIt() throws Exception {
    StoreSpec left = TestHosts.spec(addon.store, addon.base, "redis-left-4");
    addon.createAndStart(left);
    assertFalse(TestHosts.cgroupsOf(left.name()).isEmpty(), "the running server's cgroup");
    addon.store.stop(left.name());
    // What an earlier run can leave in the add-on's cgroup: a process, and the cgroup with it.
    Cgroup leftover = TestHosts.cgroups().create("addon-" + left.name(), new CgroupLimits(64L << 20, 64, 0));
    assumeTrue(leftover != null, "no writable cgroups");
    Process straggler = new ProcessBuilder("sleep", "97.75").start();
    for (Path procs : leftover.procsFiles()) Files.writeString(procs, Long.toString(straggler.pid()));

    addon.store.destroy(left);

    assertTrue(straggler.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "the process left in it was killed");
    assertEquals(List.of(), TestHosts.cgroupsOf(left.name()));
    assertFalse(Files.exists(left.dataDir()));
  }
}
