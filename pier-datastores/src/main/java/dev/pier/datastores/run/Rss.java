package dev.pier.datastores.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of one process, from {@code /proc/PID/status}. */
public final class Rss {
  private Rss() {}

  /** VmRSS of {@code pid} in bytes, or 0 when it is gone. */
  public static long of(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Exited meanwhile.
    }
    return 0;
  }
}
