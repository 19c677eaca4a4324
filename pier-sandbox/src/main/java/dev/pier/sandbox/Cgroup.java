package dev.pier.sandbox;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The control group of one instance run or build step: every process of it is in it, limited by
 * it, accounted in it and found through it, whatever it did to leave its process tree (setsid,
 * double fork). Created by {@link Cgroups}.
 */
public sealed interface Cgroup permits CgroupV1, CgroupV2 {
  /** How long {@link #killAll} keeps killing before it gives up and logs. */
  Duration KILL_TIMEOUT = Duration.ofSeconds(10);

  /** The {@code cgroup.procs} files a new process writes its pid into to join. */
  List<Path> procsFiles();

  /** Host pids of the processes currently in the cgroup. */
  default Set<Long> pids() {
    Set<Long> pids = new TreeSet<>();
    for (Path procs : procsFiles()) pids.addAll(readPids(procs));
    pids.remove(ProcessHandle.current().pid());
    return pids;
  }

  /** How many processes the kernel OOM-killed in this cgroup so far. */
  long oomKills();

  /** How many times a fork() failed in this cgroup because its pids limit was reached. */
  long pidsLimitHits();

  /** Resident anonymous memory of all processes together, in bytes (page cache excluded). */
  long rssBytes();

  /** CPU time all processes used so far, in nanoseconds. */
  long cpuNanos();

  /**
   * SIGKILLs every process in the cgroup until it is empty, freezing it around each round where
   * the kernel can, so that nothing forks between reading the pids and killing them. Returns false
   * if processes were still there after {@link #KILL_TIMEOUT} (logged).
   */
  boolean killAll();

  /** Removes the cgroup; it must be empty. Retries briefly while the kernel still holds it. */
  void remove();

  /** Returns the value of {@code key} in a "key value" per line file, or 0 when absent. */
  static long statValue(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        int space = line.indexOf(' ');
        if (space > 0 && line.substring(0, space).equals(key)) {
          return Long.parseLong(line.substring(space + 1).trim());
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Unavailable: report nothing.
    }
    return 0;
  }

  static long singleValue(Path file) {
    try {
      return Long.parseLong(Files.readString(file).trim());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  /** The pids listed in a {@code cgroup.procs} file; none when it is gone. */
  static Set<Long> readPids(Path procs) {
    Set<Long> pids = new TreeSet<>();
    try {
      for (String line : Files.readAllLines(procs)) {
        if (!line.isBlank()) pids.add(Long.parseLong(line.trim()));
      }
    } catch (IOException | NumberFormatException e) {
      // Removed concurrently: no processes.
    }
    return pids;
  }

  /**
   * The kill loop of {@link #killAll}: each round freezes (when {@code freezer} is not null), sends
   * SIGKILL to every listed pid and thaws, so pending kills are delivered before anything runs.
   */
  static boolean killLoop(Cgroup cgroup, Freezer freezer) {
    long deadline = System.nanoTime() + KILL_TIMEOUT.toNanos();
    while (true) {
      if (cgroup.pids().isEmpty()) return true;
      if (freezer != null) freezer.set(true);
      try {
        for (long pid : cgroup.pids()) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      } finally {
        if (freezer != null) freezer.set(false);
      }
      if (System.nanoTime() > deadline) {
        Cgroups.LOG.warn("processes {} of {} survived SIGKILL for {}", cgroup.pids(), cgroup, KILL_TIMEOUT);
        return false;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return cgroup.pids().isEmpty();
      }
    }
  }

  /** Freezes or thaws every process of a cgroup. */
  @FunctionalInterface
  interface Freezer {
    void set(boolean frozen);
  }

  static void removeDir(Path dir) {
    for (int attempt = 0; ; attempt++) {
      try {
        Files.deleteIfExists(dir);
        return;
      } catch (NoSuchFileException e) {
        return;
      } catch (FileSystemException e) {
        // EBUSY while exited tasks are still being released.
        if (attempt >= 100) {
          Cgroups.LOG.warn("could not remove cgroup {}: {}", dir, e.getMessage());
          return;
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      } catch (IOException e) {
        Cgroups.LOG.warn("could not remove cgroup {}: {}", dir, e.getMessage());
        return;
      }
    }
  }
}
