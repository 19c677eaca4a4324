package dev.pier.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A cgroup on a v2 (unified) host: one directory with memory.max, pids.max, cpu.max and cpu.stat. */
final class CgroupV2 implements Cgroup {
  private final Path dir;

  private CgroupV2(Path dir) {
    this.dir = dir;
  }

  /** Creates (or reuses) {@code ROOT/BASE/NAME}, enabling the controllers on the way. */
  static CgroupV2 create(Path root, String base, String name, CgroupLimits limits)
      throws IOException {
    Path parent = root.resolve(base);
    Files.createDirectories(parent);
    enableControllers(root);
    enableControllers(parent);
    Path dir = parent.resolve(name);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("memory.max"), Long.toString(limits.memoryBytes()));
    Path swap = dir.resolve("memory.swap.max");
    if (Files.exists(swap)) Files.writeString(swap, "0");
    Path pids = dir.resolve("pids.max");
    if (Files.exists(pids)) Files.writeString(pids, Integer.toString(limits.pidsMax()));
    Path cpu = dir.resolve("cpu.max");
    if (Files.exists(cpu)) {
      int period = CgroupV1.CPU_PERIOD_US;
      String quota = limits.cpuMillicores() == 0
          ? "max" : Long.toString((long) limits.cpuMillicores() * period / 1000);
      Files.writeString(cpu, quota + " " + period);
    }
    return new CgroupV2(dir);
  }

  private static void enableControllers(Path dir) {
    for (String controller : List.of("memory", "pids", "cpu")) {
      try {
        Files.writeString(dir.resolve("cgroup.subtree_control"), "+" + controller);
      } catch (IOException e) {
        // Not available or already delegated: limits for it are then skipped.
      }
    }
  }

  @Override
  public List<Path> procsFiles() {
    return List.of(dir.resolve("cgroup.procs"));
  }

  @Override
  public long oomKills() {
    return Cgroup.statValue(dir.resolve("memory.events"), "oom_kill");
  }

  @Override
  public long pidsLimitHits() {
    return Cgroup.statValue(dir.resolve("pids.events"), "max");
  }

  @Override
  public long rssBytes() {
    return Cgroup.statValue(dir.resolve("memory.stat"), "anon");
  }

  @Override
  public long cpuNanos() {
    return Cgroup.statValue(dir.resolve("cpu.stat"), "usage_usec") * 1000;
  }

  /** Uses cgroup.kill (Linux 5.14+) where there is one, else cgroup.freeze around each round. */
  @Override
  public boolean killAll() {
    Path kill = dir.resolve("cgroup.kill");
    if (Files.exists(kill)) {
      try {
        Files.writeString(kill, "1");
      } catch (IOException e) {
        // Fall back to signalling pid by pid.
      }
    }
    Path freeze = dir.resolve("cgroup.freeze");
    return Cgroup.killLoop(this, !Files.exists(freeze) ? null : frozen -> {
      try {
        Files.writeString(freeze, frozen ? "1" : "0");
      } catch (IOException e) {
        // Gone: nothing left to freeze.
      }
    });
  }

  @Override
  public void remove() {
    Cgroup.removeDir(dir);
  }

  @Override
  public String toString() {
    return "cgroup v2 " + dir;
  }
}
