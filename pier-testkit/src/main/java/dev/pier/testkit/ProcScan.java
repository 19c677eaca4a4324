package dev.pier.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds live processes by reading /proc, independent of any process tree or cgroup. */
public final class ProcScan {
  private ProcScan() {}

  /** Pids of live (non-zombie) processes whose command line, joined by spaces, is {@code line}. */
  public static List<Long> withCommandLine(String line) {
    List<Long> found = new ArrayList<>();
    for (long pid : pids()) {
      try {
        String cmd = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
            StandardCharsets.UTF_8).replace('\0', ' ').strip();
        if (cmd.equals(line) && running(pid)) found.add(pid);
      } catch (IOException e) {
        // Exited meanwhile.
      }
    }
    return found;
  }

  /** Pids of live (non-zombie) processes whose real uid is {@code uid}. */
  public static List<Long> ofUid(int uid) {
    List<Long> found = new ArrayList<>();
    for (long pid : pids()) {
      try {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
          if (l.startsWith("Uid:") && l.split("\\s+")[1].equals(Integer.toString(uid))
              && running(pid)) {
            found.add(pid);
          }
        }
      } catch (IOException e) {
        // Exited meanwhile.
      }
    }
    return found;
  }

  /** True while the process exists and is not a zombie. */
  public static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    try (var entries = Files.list(Path.of("/proc"))) {
      entries.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
          .forEach(n -> pids.add(Long.parseLong(n)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return pids;
  }
}
