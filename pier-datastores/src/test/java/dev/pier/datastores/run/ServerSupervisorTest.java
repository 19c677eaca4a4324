package dev.pier.datastores.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.datastores.Plan;
import dev.pier.datastores.StoreSpec;
import dev.pier.sandbox.Cgroups;
import dev.pier.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The supervisor restarts a server that exits, and reports one that keeps failing with its log. */
class ServerSupervisorTest {
  @Test
  void aServerThatKeepsFailingIsReportedFailedWithItsLogTail() throws Exception {
    assumeTrue(Sandbox.runningAsRoot() && Sandbox.missingTools() == null, "needs root, bwrap and setpriv");
    Path base = Files.createTempDirectory("pier-supervisor-test");
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
    StoreSpec spec = new StoreSpec("broken-1", "test", new Plan("small", 64 << 20, 1, 0), 1, 64_095, base.resolve("broken-1"));
    try (Host host = new Host(Sandbox.system(), Cgroups.detect("pier-test-datastores"))) {
      DataDir.recreate(spec);
      // A link the add-on's uid left where the log goes: the server's output must not land there.
      Path rootsFile = Files.writeString(base.resolve("roots-file"), "root's\n");
      Files.createSymbolicLink(spec.dataDir().resolve(ServerSupervisor.LOG_FILE), rootsFile);
      ServerSupervisor server = new ServerSupervisor(host, spec,
          new ServerLaunch(List.of("/bin/sh", "-c", "echo cannot open /app/missing.conf; exit 3"), Map.of(), "sh"),
          "TERM", Duration.ofMillis(10));
      server.start();
      try {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!server.state().equals("failed") && System.nanoTime() < deadline) Thread.sleep(50);
        assertEquals("failed", server.state());
        assertTrue(server.restarts() >= 4, "restarts: " + server.restarts());
        assertTrue(server.message().contains("exited with status 3"), server.message());
        assertTrue(server.message().contains("cannot open /app/missing.conf"), server.message());
      } finally {
        server.stop();
      }
      assertEquals("stopped", server.state());
      assertEquals("root's\n", Files.readString(rootsFile));
    } finally {
      DataDir.delete(base);
    }
  }
}
