package dev.pier.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real cgroups under /sys/fs/cgroup (needs root and a v1 or v2 hierarchy). */
@Timeout(30)
class CgroupHygieneTest {
  private static final Path SYS = Path.of("/sys/fs/cgroup");

  @Test
  void folderOfAServerThatDiedIsEmptiedAndRemovedAtTheNextStart() throws Exception {
    Cgroups dead = Cgroups.detect("pier-hygiene-dead");
    assumeTrue(dead.version() != Cgroups.Version.NONE, "no writable cgroups");
    long deadPid = exitedPid();
    Cgroup left = dead.create("app.web.1", new CgroupLimits(64L << 20, 64, 0));
    Path marker = markerParent(dead, "pier-hygiene-dead").resolve("owner." + deadPid);
    Files.createDirectories(marker);
    Process orphan = new ProcessBuilder("sleep", "97.5").start();
    for (Path procs : left.procsFiles()) Files.writeString(procs, Long.toString(orphan.pid()));

    Cgroups next = Cgroups.detect("pier-hygiene-next");
    next.reapLeftovers();

    assertThat(orphan.waitFor(10, TimeUnit.SECONDS)).as("process left by the dead server").isTrue();
    assertThat(markerParent(dead, "pier-hygiene-dead")).doesNotExist();
    assertThat(SYS.resolve("pids/pier-hygiene-dead")).doesNotExist();

    next.release();
    assertThat(markerParent(next, "pier-hygiene-next")).doesNotExist();
  }

  @Test
  void cleanStopRemovesTheServersFolderAndKillsWhatStillRunsThere() throws Exception {
    Cgroups cgroups = Cgroups.detect("pier-hygiene-clean");
    assumeTrue(cgroups.version() != Cgroups.Version.NONE, "no writable cgroups");
    cgroups.reapLeftovers();
    Cgroup build = cgroups.create("build-app-1", new CgroupLimits(64L << 20, 64, 500));
    Process step = new ProcessBuilder("sleep", "97.25").start();
    for (Path procs : build.procsFiles()) Files.writeString(procs, Long.toString(step.pid()));
    assertThat(build.pids()).containsExactly(step.pid());

    cgroups.release();

    assertThat(step.waitFor(10, TimeUnit.SECONDS)).isTrue();
    for (String controller : List.of("memory", "cpu", "cpuacct", "pids", "freezer")) {
      assertThat(SYS.resolve(controller).resolve("pier-hygiene-clean")).doesNotExist();
    }
  }

  private static Path markerParent(Cgroups cgroups, String base) {
    return cgroups.version() == Cgroups.Version.V1 ? SYS.resolve("memory").resolve(base) : SYS.resolve(base);
  }

  private static long exitedPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }
}
