package dev.pier.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cgroup on a v1 host: one directory per controller (memory, cpu, cpuacct, pids, and freezer to
 * stop forks while killing).
 */
final class CgroupV1 implements Cgroup {
  static final List<String> CONTROLLERS = List.of("memory", "cpu", "cpuacct", "pids", "freezer");
  /** The CFS period CPU quotas are expressed in, in microseconds. */
  static final int CPU_PERIOD_US = 100_000;

  private final Map<String, Path> dirs;

  private CgroupV1(Map<String, Path> dirs) {
    this.dirs = dirs;
  }

  /** Creates (or reuses) {@code ROOT/CONTROLLER/BASE/NAME} for each controller and sets limits. */
  static CgroupV1 create(Path root, String base, String name, CgroupLimits limits)
      throws IOException {
    Map<String, Path> dirs = new LinkedHashMap<>();
    List<Path> seen = new ArrayList<>();
    for (String controller : CONTROLLERS) {
      Path mount = root.resolve(controller);
      if (!Files.isDirectory(mount)) continue;
      Path real = mount.toRealPath();
      if (seen.contains(real)) continue; // co-mounted, e.g. cpu,cpuacct
      seen.add(real);
      Path dir = mount.resolve(base).resolve(name);
      Files.createDirectories(dir);
      dirs.put(controller, dir);
    }
    if (!dirs.containsKey("memory")) throw new IOException("no v1 memory controller under " + root);
    CgroupV1 cgroup = new CgroupV1(dirs);
    Path memory = dirs.get("memory");
    long memoryBytes = limits.memoryBytes();
    Files.writeString(memory.resolve("memory.limit_in_bytes"), Long.toString(memoryBytes));
    Path memsw = memory.resolve("memory.memsw.limit_in_bytes");
    if (Files.exists(memsw)) {
      try {
        Files.writeString(memsw, Long.toString(memoryBytes));
      } catch (IOException e) {
        // Swap accounting off: the memory limit alone applies.
      }
    }
    Path pids = dirs.get("pids");
    if (pids != null) Files.writeString(pids.resolve("pids.max"), Integer.toString(limits.pidsMax()));
    Path cpu = dirs.get("cpu");
    if (cpu != null && Files.exists(cpu.resolve("cpu.cfs_quota_us"))) {
      long quota = limits.cpuMillicores() == 0 ? -1 : (long) limits.cpuMillicores() * CPU_PERIOD_US / 1000;
      Files.writeString(cpu.resolve("cpu.cfs_period_us"), Integer.toString(CPU_PERIOD_US));
      Files.writeString(cpu.resolve("cpu.cfs_quota_us"), Long.toString(quota));
    }
    return cgroup;
  }

  @Override
  public List<Path> procsFiles() {
    return dirs.values().stream().map(d -> d.resolve("cgroup.procs")).toList();
  }

  @Override
  public long oomKills() {
    return Cgroup.statValue(dirs.get("memory").resolve("memory.oom_control"), "oom_kill");
  }

  @Override
  public long pidsLimitHits() {
    Path pids = dirs.get("pids");
    return pids == null ? 0 : Cgroup.statValue(pids.resolve("pids.events"), "max");
  }

  @Override
  public long rssBytes() {
    Path stat = dirs.get("memory").resolve("memory.stat");
    long total = Cgroup.statValue(stat, "total_rss");
    return total > 0 ? total : Cgroup.statValue(stat, "rss");
  }

  @Override
  public long cpuNanos() {
    Path cpuacct = dirs.getOrDefault("cpuacct", dirs.get("cpu"));
    return cpuacct == null ? 0 : Cgroup.singleValue(cpuacct.resolve("cpuacct.usage"));
  }

  @Override
  public boolean killAll() {
    Path freezer = dirs.get("freezer");
    return Cgroup.killLoop(this, freezer == null ? null : frozen -> {
      try {
        Files.writeString(freezer.resolve("freezer.state"), frozen ? "FROZEN" : "THAWED");
      } catch (IOException e) {
        // Gone or not freezable: killing in a loop still empties it.
      }
    });
  }

  @Override
  public void remove() {
    dirs.values().forEach(Cgroup::removeDir);
  }

  @Override
  public String toString() {
    return "cgroup v1 " + dirs.get("memory");
  }
}
