package dev.pier.datastores;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.datastores.run.DataDir;
import dev.pier.sandbox.Cgroups;
import dev.pier.sandbox.Sandbox;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** What the data store tests share: real sandbox and cgroups, a folder add-on uids can reach, free ports, uids. */
final class TestHosts {
  private static final AtomicInteger UIDS = new AtomicInteger(64_100 + (int) (ProcessHandle.current().pid() % 400) * 2);

  private static Cgroups cgroups;

  private TestHosts() {}

  static void assumeRoot() {
    assumeTrue(Sandbox.runningAsRoot(), "data store tests run servers as other uids: needs root");
    assumeTrue(Sandbox.missingTools() == null, "needs bwrap and setpriv");
  }

  static List<Datastore> catalog() {
    return DatastoreCatalog.standard(Sandbox.system(), cgroups());
  }

  /**
   * The cgroups add-on servers of these tests run in, marked as this JVM's (once, emptying what an
   * earlier run left): a Pier server starting meanwhile on this host reaps {@code pier-*} bases
   * with no live owner, which would take a server's cgroup away during its restart back-off.
   */
  static synchronized Cgroups cgroups() {
    if (cgroups == null) {
      cgroups = Cgroups.detect("pier-test-datastores");
      cgroups.reapLeftovers();
    }
    return cgroups;
  }

  /** A folder (0711, so add-on uids can pass through to their own 0700 data dirs). */
  static Path base() throws IOException {
    Path base = Files.createTempDirectory("pier-datastores-test");
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
    return base;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static StoreSpec spec(Datastore store, Path base, String name) throws IOException {
    return new StoreSpec(name, store.kind(), store.plans().getFirst(), freePort(), UIDS.getAndIncrement(),
        base.resolve(name));
  }

  /** Like {@link #spec(Datastore, Path, String)}, on a test plan (the first, with {@code storageBytes} of storage). */
  static StoreSpec spec(Datastore store, Path base, String name, long storageBytes) throws IOException {
    Plan first = store.plans().getFirst();
    Plan test = new Plan("test-disk", first.memoryBytes(), first.maxConnections(), storageBytes);
    return new StoreSpec(name, store.kind(), test, freePort(), UIDS.getAndIncrement(), base.resolve(name));
  }

  /** True when something is mounted at {@code dir}, as /proc/self/mountinfo says. */
  static boolean mounted(Path dir) throws IOException {
    String point = dir.toRealPath().toString();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      if (line.split(" ")[4].equals(point)) return true;
    }
    return false;
  }

  /** The disk image of an add-on's folder, {@code DIR.img}. */
  static Path image(StoreSpec spec) {
    return spec.dataDir().resolveSibling(spec.dataDir().getFileName() + ".img");
  }

  /** The inode number of {@code file}: the same number, the same file. */
  static Object inode(Path file) throws IOException {
    return Files.getAttribute(file, "unix:ino");
  }

  static void deleteQuietly(Path base) {
    try {
      DataDir.delete(base);
    } catch (Exception e) {
      // Temporary files: the OS cleans them.
    }
  }

  /** The cgroup folders (any controller) of the add-on {@code name}'s server, {@code addon-NAME}. */
  static List<Path> cgroupsOf(String name) throws IOException {
    try (var all = Files.find(Path.of("/sys/fs/cgroup"), 3,
        (p, attrs) -> attrs.isDirectory() && p.getFileName().toString().equals("addon-" + name))) {
      return all.toList();
    }
  }

  /** Sends SIGKILL to {@code pid} and waits until it is gone. */
  static void kill9(long pid) throws Exception {
    ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
    h.destroyForcibly();
    h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** Polls {@code condition} every 100 ms for up to {@code seconds}. */
  static boolean eventually(int seconds, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) return true;
      Thread.sleep(100);
    }
    return condition.getAsBoolean();
  }
}
