package dev.pier.runtime.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's cgroup hierarchy, as far as Pier uses it: one cgroup per instance run named {@code
 * BASE/APP.NAME}, under {@code /sys/fs/cgroup/{memory,cpu,cpuacct,pids}} on v1 hosts and under
 * {@code /sys/fs/cgroup} with {@code memory.max}/{@code pids.max} on v2 hosts. When cgroups are
 * not writable (not root, or no cgroup filesystem) it degrades: {@link #create} returns null, no
 * limits apply, and the caller tracks processes by their process tree. A warning is logged once.
 */
public final class Cgroups {
  static final Logger LOG = LoggerFactory.getLogger(Cgroups.class);
  private static final Path SYS = Path.of("/sys/fs/cgroup");
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

  /** Which cgroup layout the host has. */
  public enum Version {
    V1,
    V2,
    /** No usable cgroups: no limits, process-tree tracking only. */
    NONE
  }

  private final Path root;
  private final String base;
  private final Version version;
  private final AtomicBoolean warned = new AtomicBoolean();

  Cgroups(Path root, String base, Version version) {
    if (!NAME.matcher(base).matches()) throw new IllegalArgumentException("bad cgroup base " + base);
    this.root = root;
    this.base = base;
    this.version = version;
  }

  /** Detects the layout under /sys/fs/cgroup; instance cgroups go under {@code base}. */
  public static Cgroups detect(String base) {
    return detect(SYS, base);
  }

  static Cgroups detect(Path root, String base) {
    Version version = Version.NONE;
    Path check = null;
    if (Files.exists(root.resolve("cgroup.controllers"))) {
      version = Version.V2;
      check = root.resolve(base);
    } else if (Files.exists(root.resolve("memory").resolve("cgroup.procs"))) {
      version = Version.V1;
      check = root.resolve("memory").resolve(base);
    }
    Cgroups cgroups = new Cgroups(root, base, version);
    if (check != null) {
      try {
        Files.createDirectories(check);
      } catch (IOException | UnsupportedOperationException e) {
        cgroups = new Cgroups(root, base, Version.NONE);
        cgroups.warnOnce("cgroups at " + root + " are not writable (" + e + ")");
      }
    } else {
      cgroups.warnOnce("no cgroup filesystem at " + root);
    }
    return cgroups;
  }

  /**
   * Kills every process left in cgroups under this base by an earlier run that died without
   * stopping its instances, and removes those cgroups. Returns how many processes were killed.
   * Only call this when no instance of this base runs yet.
   */
  public int reapLeftovers() {
    List<Path> bases = switch (version) {
      case V1 -> CgroupV1.CONTROLLERS.stream().map(c -> root.resolve(c).resolve(base)).toList();
      case V2 -> List.of(root.resolve(base));
      case NONE -> List.of();
    };
    int killed = 0;
    for (int pass = 0; pass < 50; pass++) {
      boolean any = false;
      for (Path dir : bases) {
        for (Path child : children(dir)) {
          for (long pid : pids(child.resolve("cgroup.procs"))) {
            any = true;
            if (ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false)) killed++;
          }
        }
      }
      if (!any) break;
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Path dir : bases) children(dir).forEach(Cgroup::removeDir);
    if (killed > 0) LOG.warn("killed {} processes left running by an earlier run (cgroup {})", killed, base);
    return killed;
  }

  private static List<Path> children(Path dir) {
    try (var entries = Files.list(dir)) {
      return entries.filter(Files::isDirectory).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static List<Long> pids(Path procs) {
    try {
      return Files.readAllLines(procs).stream().filter(l -> !l.isBlank()).map(l -> Long.parseLong(l.trim())).toList();
    } catch (IOException | NumberFormatException e) {
      return List.of();
    }
  }

  /** Cgroups switched off: no limits; processes are tracked by process tree. */
  public static Cgroups none() {
    return new Cgroups(SYS, "pier", Version.NONE);
  }

  public Version version() {
    return version;
  }

  /**
   * Creates the cgroup {@code BASE/name} with the given limits, first killing anything a previous
   * server left in it. Returns null when cgroups are unavailable (a warning is logged once).
   */
  Cgroup create(String name, long memoryLimitBytes, int pidsMax) throws InterruptedException {
    if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("bad cgroup name " + name);
    try {
      Cgroup cgroup =
          switch (version) {
            case V1 -> CgroupV1.create(root, base, name, memoryLimitBytes, pidsMax);
            case V2 -> CgroupV2.create(root, base, name, memoryLimitBytes, pidsMax);
            case NONE -> null;
          };
      if (cgroup != null && !cgroup.pids().isEmpty()) {
        LOG.warn("killing processes left in {} by an earlier run", cgroup);
        new InstanceProcesses(null, cgroup).kill();
      }
      return cgroup;
    } catch (IOException e) {
      warnOnce("could not create cgroup " + base + "/" + name + " (" + e + ")");
      return null;
    }
  }

  private void warnOnce(String why) {
    if (warned.compareAndSet(false, true)) {
      LOG.warn("{}: instances run without memory or pid limits and are stopped by process tree", why);
    }
  }
}
