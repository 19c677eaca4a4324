package dev.pier.runtime.local;

import dev.pier.sandbox.Cgroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All processes of one instance run: the spawned sandbox launcher and everything it forks. They
 * are found through the run's cgroup when there is one; without cgroups through the process tree
 * of the launcher (every pid ever seen in it is remembered, so orphans reparented away are still
 * signalled).
 */
final class InstanceProcesses {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InstanceProcesses.class);
  private static final Duration POLL = Duration.ofMillis(25);
  /** How long SIGKILL may take to empty the instance before we give up and log. */
  static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

  private final Process root;
  private final Cgroup cgroup;
  private final Set<Long> seen = ConcurrentHashMap.newKeySet();

  /**
   * @param root the spawned process, or null to handle only what is in the cgroup
   * @param cgroup the run's cgroup, or null when cgroups are unavailable
   */
  InstanceProcesses(Process root, Cgroup cgroup) {
    this.root = root;
    this.cgroup = cgroup;
  }

  Process root() {
    return root;
  }

  Cgroup cgroup() {
    return cgroup;
  }

  /** Host pids of the live processes of this run. */
  Set<Long> pids() {
    Set<Long> pids = new TreeSet<>();
    if (root != null && root.isAlive()) pids.add(root.pid());
    if (cgroup != null) {
      // The cgroup holds every process of the run (the launcher joins it before anything else
      // starts): no need to walk the process tree, which reads every process on the machine.
      pids.addAll(cgroup.pids());
    } else {
      if (root != null && root.isAlive()) root.descendants().forEach(h -> pids.add(h.pid()));
      seen.addAll(pids);
      for (Long pid : seen) {
        if (running(pid)) pids.add(pid);
        else seen.remove(pid);
      }
    }
    return pids;
  }

  /** True while the process exists and is not a zombie (an orphaned zombie is not ours to reap). */
  static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  boolean isEmpty() {
    return pids().isEmpty();
  }

  /**
   * Sends SIGTERM to every process, waits up to {@code grace} for all to exit, then SIGKILLs what
   * remains. Returns true if SIGKILL was needed.
   */
  boolean terminate(Duration grace) throws InterruptedException {
    signal(false);
    if (awaitEmpty(grace)) return false;
    kill();
    return true;
  }

  /**
   * SIGKILLs every process until none is left (bounded by {@link #KILL_TIMEOUT}): with a cgroup,
   * everything in it, frozen while it is signalled, so daemonized children and fork loops go too.
   */
  void kill() throws InterruptedException {
    if (cgroup != null) {
      cgroup.killAll();
      return;
    }
    long deadline = System.nanoTime() + KILL_TIMEOUT.toNanos();
    while (!isEmpty()) {
      signal(true);
      if (System.nanoTime() > deadline) {
        LOG.warn("processes {} survived SIGKILL for {}", pids(), KILL_TIMEOUT);
        return;
      }
      Thread.sleep(POLL);
    }
  }

  /** Waits until no process is left; returns false if some are still there after {@code timeout}. */
  boolean awaitEmpty(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!isEmpty()) {
      if (System.nanoTime() > deadline) return false;
      Thread.sleep(POLL);
    }
    return true;
  }

  /**
   * Signals every process but the spawned root (the outer bwrap), or the root once it is the only
   * one left. The outer bwrap waits for the sandbox's init and exits by itself when it dies; killing
   * it first would orphan the init, leaving it for the host's pid 1 to reap.
   */
  private void signal(boolean kill) {
    Set<Long> pids = pids();
    if (root != null && pids.size() > 1) pids.remove(root.pid());
    for (long pid : pids) {
      if (pid == ProcessHandle.current().pid()) continue;
      ProcessHandle.of(pid)
          .ifPresent(
              h -> {
                if (kill) h.destroyForcibly();
                else h.destroy();
              });
    }
  }
}
