package dev.pier.runtime.local;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The control group of one instance run: every process of the run is in it, limited by it,
 * accounted in it and found through it. Created by {@link Cgroups}.
 */
sealed interface Cgroup permits CgroupV1, CgroupV2 {
  /** The {@code cgroup.procs} files a new process writes its pid into to join. */
  List<Path> procsFiles();

  /** Host pids of the processes currently in the cgroup. */
  default Set<Long> pids() {
    Set<Long> pids = new TreeSet<>();
    for (Path procs : procsFiles()) {
      try {
        for (String line : Files.readAllLines(procs)) {
          if (!line.isBlank()) pids.add(Long.parseLong(line.trim()));
        }
      } catch (IOException | NumberFormatException e) {
        // Removed concurrently: no processes.
      }
    }
    return pids;
  }

  /** How many processes the kernel OOM-killed in this cgroup so far. */
  long oomKills();

  /** Resident anonymous memory of all processes together, in bytes (page cache excluded). */
  long rssBytes();

  /** CPU time all processes used so far, in nanoseconds. */
  long cpuNanos();

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
