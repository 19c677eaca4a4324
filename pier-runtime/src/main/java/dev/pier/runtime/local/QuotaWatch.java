package dev.pier.runtime.local;

import dev.pier.sandbox.Disk;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Notices, by sampling, when an instance run has filled its {@code /app} disk or its {@code
 * /tmp}, so its log can say so once per run: the app only sees ENOSPC, which it may not report.
 * The quota itself is enforced by the kernel; this only tells.
 *
 * <p>{@code /tmp} lives in the sandbox's own mount namespace: it is looked at through {@code
 * /proc/PID/root/tmp} of one of the run's processes that is in that namespace. Not thread-safe:
 * the supervising thread polls it.
 */
final class QuotaWatch {
  private static final Path OWN_MOUNTS = Path.of("/proc/self/ns/mnt");

  private final Disk app;
  private final long tmpBytes;
  private final Supplier<Set<Long>> pids;
  private boolean appReported;
  private boolean tmpReported;

  /**
   * @param app the run's {@code /app} disk, or null when it is a plain directory
   * @param tmpBytes the size of its {@code /tmp}, 0 when not capped
   * @param pids the run's processes
   */
  QuotaWatch(Disk app, long tmpBytes, Supplier<Set<Long>> pids) {
    this.app = app != null && app.capBytes() > 0 ? app : null;
    this.tmpBytes = tmpBytes;
    this.pids = pids;
  }

  /** Messages for quotas reached since the last poll (each at most once per run). */
  List<String> poll(String name) {
    List<String> reached = new ArrayList<>();
    if (app != null && !appReported && app.full()) {
      appReported = true;
      reached.add(message(name, app.capBytes(), "/app"));
    }
    if (tmpBytes > 0 && !tmpReported && tmpFull()) {
      tmpReported = true;
      reached.add(message(name, tmpBytes, "/tmp"));
    }
    return reached;
  }

  private static String message(String name, long bytes, String where) {
    return name + " reached its disk quota of " + (bytes >> 20) + " MB on " + where
        + " (writing more there fails with 'No space left on device')";
  }

  private boolean tmpFull() {
    String own;
    try {
      own = Files.readSymbolicLink(OWN_MOUNTS).toString();
    } catch (IOException e) {
      return false;
    }
    for (long pid : pids.get()) {
      Path proc = Path.of("/proc", Long.toString(pid));
      try {
        if (Files.readSymbolicLink(proc.resolve("ns/mnt")).toString().equals(own)) continue;
      } catch (IOException e) {
        continue; // gone, or not ours to look at
      }
      File tmp = proc.resolve("root/tmp").toFile();
      long total = tmp.getTotalSpace();
      if (total == 0) continue;
      return tmp.getUsableSpace() < Math.clamp(total / 50, 64L << 10, 1L << 20);
    }
    return false;
  }
}
