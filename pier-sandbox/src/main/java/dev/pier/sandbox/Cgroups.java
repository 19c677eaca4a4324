package dev.pier.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's cgroup hierarchy, as far as Pier uses it: one cgroup per instance run or build step
 * named {@code BASE/NAME}, under {@code /sys/fs/cgroup/{memory,cpu,cpuacct,pids,freezer}} on v1
 * hosts and under {@code /sys/fs/cgroup} with {@code memory.max}/{@code pids.max}/{@code cpu.max}
 * on v2 hosts. When cgroups are not writable (not root, or no cgroup filesystem) it degrades:
 * {@link #create} returns null, no limits apply, and the caller tracks processes by their process
 * tree. A warning is logged once.
 *
 * <p>One server owns one base ({@code pier-} and a hash of its data directory). {@link
 * #reapLeftovers} at start kills what an earlier run of it left and marks the base as owned by
 * this process ({@code BASE/owner.PID}); {@link #release} at a clean stop removes the base again.
 * Bases whose owner died without releasing them (SIGKILL) are emptied and removed by the next
 * server that starts on this host.
 */
public final class Cgroups {
  static final Logger LOG = LoggerFactory.getLogger(Cgroups.class);
  private static final Path SYS = Path.of("/sys/fs/cgroup");
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
  private static final Pattern OWNER = Pattern.compile("owner\\.(\\d+)");

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

  /** Detects the layout under /sys/fs/cgroup; cgroups go under {@code base}. */
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

  /** Cgroups switched off: no limits; processes are tracked by process tree. */
  public static Cgroups none() {
    return new Cgroups(SYS, "pier", Version.NONE);
  }

  public Version version() {
    return version;
  }

  /**
   * Kills every process left in cgroups under this base by an earlier run that died without
   * stopping them, removes those cgroups, marks the base as this process's, and empties and
   * removes other bases whose owning process is gone. Returns how many processes of this base
   * were killed. Only call this when nothing of this base runs yet.
   */
  public int reapLeftovers() {
    if (version == Version.NONE) return 0;
    int killed = empty(base);
    if (killed > 0) LOG.warn("killed {} processes left running by an earlier run (cgroup {})", killed, base);
    try {
      Files.createDirectories(markerDir().resolve("owner." + ProcessHandle.current().pid()));
    } catch (IOException e) {
      LOG.warn("could not mark cgroup {} as this server's: {}", base, e.getMessage());
    }
    reapAbandonedBases();
    return killed;
  }

  /**
   * Kills whatever still runs under this base (a build step in progress), then removes its
   * cgroups, its owner mark and the base itself: called at a clean stop, after the instances have
   * been stopped.
   */
  public void release() {
    if (version == Version.NONE) return;
    int killed = empty(base);
    if (killed > 0) LOG.info("killed {} processes of builds still running at stop (cgroup {})", killed, base);
    for (Path dir : bases(base)) removeIfEmpty(dir);
  }

  /**
   * Creates the cgroup {@code BASE/name} with the given limits, first killing anything a previous
   * run left in it. Returns null when cgroups are unavailable (a warning is logged once).
   */
  public Cgroup create(String name, CgroupLimits limits) {
    if (!NAME.matcher(name).matches() || OWNER.matcher(name).matches()) {
      throw new IllegalArgumentException("bad cgroup name " + name);
    }
    try {
      Cgroup cgroup =
          switch (version) {
            case V1 -> CgroupV1.create(root, base, name, limits);
            case V2 -> CgroupV2.create(root, base, name, limits);
            case NONE -> null;
          };
      if (cgroup != null && !cgroup.pids().isEmpty()) {
        LOG.warn("killing processes left in {} by an earlier run", cgroup);
        cgroup.killAll();
      }
      return cgroup;
    } catch (IOException e) {
      warnOnce("could not create cgroup " + base + "/" + name + " (" + e + ")");
      return null;
    }
  }

  /**
   * SIGKILLs whatever runs in the cgroup {@code BASE/name} and removes it, in every hierarchy; a
   * no-op when there is none (or no cgroups).
   */
  public void remove(String name) {
    if (!NAME.matcher(name).matches() || OWNER.matcher(name).matches()) {
      throw new IllegalArgumentException("bad cgroup name " + name);
    }
    for (Path dir : bases(base)) {
      Path cgroup = dir.resolve(name);
      if (!Files.isDirectory(cgroup)) continue;
      for (int pass = 0; pass < 50 && !Cgroup.readPids(cgroup.resolve("cgroup.procs")).isEmpty(); pass++) {
        for (long pid : Cgroup.readPids(cgroup.resolve("cgroup.procs"))) {
          if (pid != ProcessHandle.current().pid()) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      Cgroup.removeDir(cgroup);
    }
  }

  /** Like {@link #create(String, CgroupLimits)} without a CPU limit. */
  public Cgroup create(String name, long memoryLimitBytes, int pidsMax) {
    return create(name, new CgroupLimits(memoryLimitBytes, pidsMax, 0));
  }

  /** SIGKILLs every process in cgroups under {@code someBase} and removes them; returns the count. */
  private int empty(String someBase) {
    List<Path> bases = bases(someBase);
    int killed = 0;
    for (int pass = 0; pass < 50; pass++) {
      boolean any = false;
      for (Path dir : bases) {
        for (Path child : children(dir)) {
          for (long pid : Cgroup.readPids(child.resolve("cgroup.procs"))) {
            if (pid == ProcessHandle.current().pid()) continue;
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
    return killed;
  }

  /**
   * Empties and removes sibling bases ({@code pier-*}) whose owner process is gone, and empty ones
   * with no owner mark at all (left by servers of an earlier version).
   */
  private void reapAbandonedBases() {
    Path parent = markerDir().getParent();
    for (Path dir : children(parent)) {
      String other = dir.getFileName().toString();
      if (other.equals(base) || !other.startsWith("pier-") || !NAME.matcher(other).matches()) continue;
      List<Long> owners = new ArrayList<>();
      boolean busy = false;
      for (Path child : children(dir)) {
        Matcher m = OWNER.matcher(child.getFileName().toString());
        if (m.matches()) owners.add(Long.parseLong(m.group(1)));
        else if (!Cgroup.readPids(child.resolve("cgroup.procs")).isEmpty()) busy = true;
      }
      if (owners.stream().anyMatch(Cgroups::alive)) continue;
      if (owners.isEmpty() && busy) continue; // unowned but running: maybe an older server
      int killed = empty(other);
      for (Path d : bases(other)) removeIfEmpty(d);
      if (killed > 0 || !owners.isEmpty()) {
        LOG.warn("removed cgroup {} of a server that is gone (owner pid {}), killing {} processes it left",
            other, owners, killed);
      }
    }
  }

  /** True when {@code pid} runs a JVM: a live owner (pids are reused, but rarely by a JVM). */
  private static boolean alive(long pid) {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .map(h -> h.info().command().map(c -> c.contains("java")).orElse(true))
        .orElse(false);
  }

  /** Where this version keeps the owner mark: the memory hierarchy on v1, the base on v2. */
  private Path markerDir() {
    return version == Version.V1 ? root.resolve("memory").resolve(base) : root.resolve(base);
  }

  private List<Path> bases(String someBase) {
    return switch (version) {
      case V1 -> CgroupV1.CONTROLLERS.stream().map(c -> root.resolve(c).resolve(someBase)).toList();
      case V2 -> List.of(root.resolve(someBase));
      case NONE -> List.of();
    };
  }

  private static void removeIfEmpty(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // Still in use (a build or instance outlived the stop): the next start removes it.
    }
  }

  private static List<Path> children(Path dir) {
    try (var entries = Files.list(dir)) {
      return entries.filter(Files::isDirectory).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private void warnOnce(String why) {
    if (warned.compareAndSet(false, true)) {
      LOG.warn("{}: builds and instances run without memory, CPU or pid limits and are stopped by process tree", why);
    }
  }
}
