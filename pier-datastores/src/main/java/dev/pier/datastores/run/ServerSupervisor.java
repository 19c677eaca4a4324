package dev.pier.datastores.run;

import dev.pier.datastores.DatastoreException;
import dev.pier.datastores.StoreSpec;
import dev.pier.sandbox.Cgroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one add-on server running: starts it in its sandbox and cgroup, restarts it with a
 * back-off (1 s doubling to 30 s) whenever it exits, and reports {@code failed} with the tail of
 * its log once it has failed five times in a row without staying up for a minute. It writes the
 * launcher's pid to {@code server.pid} in the data dir, so a server left behind by a Pier that
 * died is found and stopped before a new one starts.
 */
public final class ServerSupervisor {
  private static final Logger LOG = LoggerFactory.getLogger(ServerSupervisor.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final Duration STABLE = Duration.ofMinutes(1);
  private static final int FAILURES_BEFORE_FAILED = 5;
  static final String LOG_FILE = "server.log";
  static final String PID_FILE = "server.pid";

  private final Host host;
  private final StoreSpec spec;
  private final ServerLaunch launch;
  private final String stopSignal;
  private final Duration firstBackoff;
  private final java.util.Set<String> exeNames;
  private final Object lock = new Object();
  private Process process;
  private Cgroup cgroup;
  private boolean stopped;
  private int restarts;
  private int failuresInARow;
  private String message = "";
  private Thread watcher;

  /**
   * @param stopSignal the signal that stops the server cleanly and quickly ({@code INT} for
   *     PostgreSQL's fast shutdown, {@code TERM} for the others)
   */
  public ServerSupervisor(Host host, StoreSpec spec, ServerLaunch launch, String stopSignal) {
    this(host, spec, launch, stopSignal, Duration.ofSeconds(1));
  }

  /** With the first back-off given (tests use milliseconds); it doubles up to 30 s. */
  ServerSupervisor(Host host, StoreSpec spec, ServerLaunch launch, String stopSignal, Duration firstBackoff) {
    this.firstBackoff = firstBackoff;
    this.host = host;
    this.spec = spec;
    this.launch = launch;
    this.stopSignal = stopSignal;
    this.exeNames = exeNames(launch.processName());
  }

  /** The name and, when it is a symlink (Debian's redis-server), the real name of the server's binary. */
  private static java.util.Set<String> exeNames(String name) {
    java.util.Set<String> names = new java.util.HashSet<>(java.util.Set.of(name));
    for (String dir : List.of("/usr/bin", "/usr/sbin", "/usr/lib/postgresql/15/bin")) {
      try {
        names.add(Path.of(dir, name).toRealPath().getFileName().toString());
      } catch (IOException e) {
        // Not there.
      }
    }
    return java.util.Set.copyOf(names);
  }

  public StoreSpec spec() {
    return spec;
  }

  /** Starts the server (once); it is restarted whenever it exits until {@link #stop}. */
  public void start() throws DatastoreException {
    synchronized (lock) {
      if (!stopped && watcher != null) return;
      stopped = false;
      reapLeftover(spec);
      cgroup = host.cgroup(spec);
      try {
        if (!portFree(spec.port())) {
          throw new DatastoreException("port " + spec.port() + " on 127.0.0.1 is in use by another program");
        }
        spawn();
      } catch (IOException | DatastoreException e) {
        if (cgroup != null) cgroup.remove();
        cgroup = null;
        if (e instanceof DatastoreException d) throw d;
        throw new DatastoreException("could not start the " + launch.processName() + " server: " + e.getMessage(), e);
      }
      watcher = Thread.ofVirtual().name("pier-addon-" + spec.name()).start(this::watch);
    }
  }

  private void spawn() throws IOException {
    Path log = spec.dataDir().resolve(LOG_FILE);
    // Pier (root) opens the log for the server: a link the add-on's uid left there is removed, not
    // followed (a regular file is made first, with O_EXCL; appending then opens that file).
    if (!Files.isRegularFile(log, java.nio.file.LinkOption.NOFOLLOW_LINKS)
        || Files.size(log) > 4 << 20) {
      Files.deleteIfExists(log);
    }
    if (!Files.exists(log, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.createFile(log, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    }
    process = host.start(spec, launch, cgroup, log);
    try {
      DataDir.write(spec, PID_FILE, process.pid() + "\n");
    } catch (dev.pier.datastores.DatastoreException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private void watch() {
    while (true) {
      Process p;
      synchronized (lock) {
        if (stopped) return;
        p = process;
      }
      long started = System.nanoTime();
      int exit = -1;
      try {
        if (p != null) exit = p.waitFor();
      } catch (InterruptedException e) {
        return;
      }
      Duration backoff;
      synchronized (lock) {
        if (stopped) return;
        killRest();
        boolean stable = System.nanoTime() - started > STABLE.toNanos();
        failuresInARow = stable ? 1 : failuresInARow + 1;
        message = "exited with status " + exit + ": " + Logs.tail(spec.dataDir().resolve(LOG_FILE), 5);
        LOG.warn("add-on {} server {} {}; restarting", spec.name(), launch.processName(), message);
        Duration doubled = firstBackoff.multipliedBy(1L << Math.min(5, failuresInARow - 1));
        backoff = doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        return;
      }
      synchronized (lock) {
        if (stopped) return;
        restarts++;
        try {
          spawn();
        } catch (IOException e) {
          message = "could not restart: " + e.getMessage();
          failuresInARow++;
          process = null;
        }
      }
    }
  }

  /** {@code running}, {@code restarting}, {@code failed} or {@code stopped}. */
  public String state() {
    synchronized (lock) {
      if (stopped || watcher == null) return "stopped";
      if (failuresInARow >= FAILURES_BEFORE_FAILED) return "failed";
      if (process == null || !process.isAlive() || serverPid().isEmpty()) return "restarting";
      return "running";
    }
  }

  public int restarts() {
    synchronized (lock) {
      return restarts;
    }
  }

  /** Why the server exited last, with the tail of its log; empty while it never did. */
  public String message() {
    synchronized (lock) {
      return message;
    }
  }

  /** The host pid of the server's main process, when it runs. */
  public Optional<Long> serverPid() {
    Process p;
    synchronized (lock) {
      p = process;
    }
    if (p == null || !p.isAlive()) return Optional.empty();
    return p.descendants()
        .filter(h -> h.info().command().map(c -> exeNames.contains(Path.of(c).getFileName().toString())).orElse(false))
        .min(Comparator.comparingLong(ProcessHandle::pid))
        .map(ProcessHandle::pid);
  }

  /** Resident memory of the server's cgroup, or of its process tree without cgroups; -1 when unknown. */
  public long memoryBytes() {
    Cgroup c;
    Process p;
    synchronized (lock) {
      c = cgroup;
      p = process;
    }
    if (c != null) return c.rssBytes();
    if (p == null || !p.isAlive()) return -1;
    return p.descendants().mapToLong(h -> Rss.of(h.pid())).sum();
  }

  /** Waits until {@code ready} holds, failing with the log's tail after {@code timeout}. */
  public void awaitReady(Ready ready, Duration timeout) throws DatastoreException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (serverPid().isPresent() && ready.check()) return;
      int failures;
      synchronized (lock) {
        failures = failuresInARow;
      }
      if (failures >= 3) {
        throw new DatastoreException("the " + launch.processName() + " server keeps exiting: " + message());
      }
      if (System.nanoTime() > deadline) {
        throw new DatastoreException("the " + launch.processName() + " server did not start within "
            + timeout.toSeconds() + " s: " + Logs.tail(spec.dataDir().resolve(LOG_FILE), 5));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DatastoreException("interrupted while starting the add-on");
      }
    }
  }

  /** A readiness check: true once the server accepts connections. */
  @FunctionalInterface
  public interface Ready {
    boolean check();
  }

  /** Stops the server: its stop signal, up to 15 s to exit, then SIGKILL for all that is left. */
  public void stop() {
    Process p;
    Thread w;
    synchronized (lock) {
      if (stopped) return;
      stopped = true;
      p = process;
      w = watcher;
      watcher = null;
    }
    if (w != null) w.interrupt();
    if (p != null && p.isAlive()) {
      serverPid().ifPresent(pid -> signal(pid, stopSignal));
      try {
        p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (lock) {
      killRest();
      if (cgroup != null) cgroup.remove();
      try {
        Files.deleteIfExists(spec.dataDir().resolve(PID_FILE));
      } catch (IOException e) {
        // Gone with the data dir.
      }
    }
  }

  /** SIGKILLs whatever of this server is left. */
  private void killRest() {
    if (cgroup != null) cgroup.killAll();
    if (process != null) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      try {
        process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** True when nothing listens on 127.0.0.1:port (0 and below: nothing to check). */
  static boolean portFree(int port) {
    if (port <= 0) return true;
    try (java.net.ServerSocket s = new java.net.ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static void signal(long pid, String signal) {
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
    } catch (IOException e) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Kills a server an earlier Pier left running for this data dir (its launcher's pid is in
   * {@code server.pid} and its command line names the data dir).
   */
  static void reapLeftover(StoreSpec spec) {
    Path pidFile = spec.dataDir().resolve(PID_FILE);
    try {
      if (!Files.isRegularFile(pidFile)) return;
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      Optional<ProcessHandle> handle = ProcessHandle.of(pid);
      if (handle.isPresent() && handle.get().info().arguments().map(a -> String.join(" ", a).contains(spec.dataDir().toString())).orElse(false)) {
        LOG.warn("stopping the server of add-on {} left running by an earlier run (pid {})", spec.name(), pid);
        handle.get().descendants().forEach(ProcessHandle::destroyForcibly);
        handle.get().destroyForcibly();
        handle.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
      }
      Files.deleteIfExists(pidFile);
    } catch (Exception e) {
      LOG.debug("no leftover server for {}: {}", spec.name(), e.toString());
    }
  }
}
