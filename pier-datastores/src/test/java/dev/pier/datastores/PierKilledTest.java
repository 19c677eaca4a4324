package dev.pier.datastores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pier.datastores.redis.Resp;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A Pier killed with SIGKILL leaves no add-on server behind, and the next start brings it back with its data. */
class PierKilledTest {
  private static Path base;

  @BeforeAll
  static void root() throws Exception {
    TestHosts.assumeRoot();
    base = TestHosts.base();
  }

  @AfterAll
  static void clean() {
    if (base != null) TestHosts.deleteQuietly(base);
  }

  /** A stand-in for the Pier server: creates and starts a Redis add-on, prints its pid and password, waits. */
  public static void main(String[] args) throws Exception {
    List<Datastore> catalog = TestHosts.catalog();
    Datastore redis = catalog.get(1);
    StoreSpec spec = new StoreSpec("redis-killed-1", "redis", redis.plans().getFirst(), Integer.parseInt(args[1]),
        Integer.parseInt(args[2]), Path.of(args[0]));
    Credentials c = redis.create(spec);
    redis.start(spec, c);
    System.out.println("STARTED " + redis.status(spec, c).pid() + " " + c.password());
    System.out.flush();
    Thread.sleep(120_000);
  }

  private static long mountsAt(Path dir) throws Exception {
    String point = dir.toRealPath().toString();
    try (var lines = java.nio.file.Files.lines(Path.of("/proc/self/mountinfo"))) {
      return lines.filter(l -> l.split(" ")[4].equals(point)).count();
    }
  }

  @Test
  void theServerDiesWithPierAndComesBackWithItsDataOnItsDisk() throws Exception {
    int port = TestHosts.freePort();
    int uid = 64_090;
    Path dir = base.resolve("redis-killed-1");
    Process pier = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
        PierKilledTest.class.getName(), dir.toString(), Integer.toString(port), Integer.toString(uid))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String[] started;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(pier.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.startsWith("STARTED "));
      assertTrue(line != null, "the stand-in Pier did not start its add-on");
      started = line.split(" ");
    }
    long serverPid = Long.parseLong(started[1]);
    String password = started[2];
    try (Resp r = Resp.tcp("127.0.0.1", port)) {
      assertEquals("OK", r.call("AUTH", password));
      assertEquals("OK", r.call("SET", "kept", "yes"));
    }
    pier.destroyForcibly();
    pier.waitFor();
    assertTrue(TestHosts.eventually(10, () -> ProcessHandle.of(serverPid).map(h -> !h.isAlive()).orElse(true)),
        "the Redis server outlived the Pier that started it");
    Path image = dir.resolveSibling("redis-killed-1.img");
    Object inode = TestHosts.inode(image);
    assertTrue(TestHosts.mounted(dir), "the killed Pier left the add-on's disk mounted");

    List<Datastore> catalog = TestHosts.catalog();
    try {
      Datastore redis = catalog.get(1);
      StoreSpec spec = new StoreSpec("redis-killed-1", "redis", redis.plans().getFirst(), port, uid, dir);
      Credentials c = redis.create(spec);
      assertEquals(password, c.password());
      redis.start(spec, c);
      try (Resp r = Resp.tcp("127.0.0.1", port)) {
        assertEquals("OK", r.call("AUTH", password));
        assertEquals("yes", r.call("GET", "kept"));
      }
      assertEquals(1, mountsAt(dir), "the disk is mounted once, not twice");
      assertEquals(inode, TestHosts.inode(image), "the same disk");
    } finally {
      catalog.forEach(Datastore::close);
    }
  }
}
