package dev.pier.runtime.local;

import dev.pier.sandbox.Cgroup;
import dev.pier.model.InstanceState;
import dev.pier.model.ProcessType;
import dev.pier.runtime.ExitReason;
import dev.pier.runtime.InstanceSpec;
import dev.pier.runtime.InstanceStatus;
import dev.pier.runtime.Probes;
import dev.pier.runtime.ResourceUsage;
import dev.pier.runtime.RunMode;
import dev.pier.sandbox.CgroupLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one instance running: prepares a fresh app directory and cgroup, spawns the sandboxed
 * command, reports STARTING and UP, and when the process exits on its own reports CRASHED, kills
 * what is left of it and restarts it after the {@link RestartPolicy}'s backoff. {@link #stop()}
 * ends that loop for good. A {@link RunMode#TASK} runs once: when it ends it is reported
 * COMPLETED with its exit code and the supervisor stays, as a record of it, until stopped.
 *
 * <p>The loop runs on its own virtual thread and owns the per-run resources (port, cgroup, app
 * directory); {@code stop()} only signals the processes and waits for the loop to finish. State
 * and transitions are guarded by {@code lock}, so a stopping instance never reports UP or CRASHED.
 */
final class InstanceSupervisor {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceSupervisor.class);
  static final int PIDS_MAX = 512;
  /** The address instances listen on: the one their port is allocated and checked on. */
  private static final String HOST = PortAllocator.loopback().getHostAddress();
  private static final Duration READY_POLL = Duration.ofMillis(50);
  private static final Duration FAST_POLL = Duration.ofMillis(5);
  private static final Duration FAST_POLL_FOR = Duration.ofSeconds(2);
  private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(2);
  private static final Duration PIDS_POLL = Duration.ofSeconds(1);
  private static final Duration PIDS_REPORT_EVERY = Duration.ofMinutes(1);
  /** How long a crash waits for the rest of the output, so its reason can quote the last lines. */
  private static final Duration LAST_OUTPUT_WAIT = Duration.ofMillis(300);

  private final InstanceSpec spec;
  private final RuntimeContext ctx;
  private final InstanceDirectory directory;
  private final String app;
  private final String name;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private final Object lock = new Object();

  // Guarded by lock.
  private InstanceState state = InstanceState.STARTING;
  private boolean announced;
  private boolean stopping;
  private CompletableFuture<Void> stopped;
  private Instant startedAt;
  private int port;
  private int restarts;
  private InstanceProcesses current;
  private ExitReason reason;
  private Instant restartAt;
  private Integer exitCode;
  private Instant readyAt;
  /** Failed liveness probes in a row that killed the current run, or 0. */
  private int livenessKilled;
  /** The last lines of the current run's output, guarded by itself. */
  private final Deque<String> lastLines = new ArrayDeque<>();
  /** The streams of an interactive task for its client; null for every other instance. */
  private final LocalAttachment attachment;
  /** Rebuilt under lock after every change, read without it: list() never waits on a listener. */
  private volatile InstanceStatus snapshot;

  InstanceSupervisor(InstanceSpec spec, RuntimeContext ctx) {
    this.spec = spec;
    this.ctx = ctx;
    this.app = spec.app().value();
    this.name = spec.name();
    this.directory = new InstanceDirectory(ctx.runDir(), app, spec.id(), ctx.disks());
    this.attachment = spec.interactive() == null ? null : new LocalAttachment(spec.interactive().tty());
    synchronized (lock) {
      publish();
    }
  }

  InstanceSpec spec() {
    return spec;
  }

  /** Starts supervising on a new virtual thread, after {@code predecessor} (if any) has stopped. */
  void launch(InstanceSupervisor predecessor) {
    // A platform thread: it blocks in Process.waitFor and pipe reads, which can hold a carrier.
    Thread.ofPlatform().daemon().name("pier-" + app + "." + name).start(() -> supervise(predecessor));
  }

  /** Attaches to an interactive task once its process runs (waiting {@code timeout} at most). */
  LocalAttachment attach(Duration timeout) {
    if (attachment == null) throw new IllegalStateException(app + " " + name + " is not interactive");
    return attachment.take(timeout);
  }

  InstanceStatus status() {
    return snapshot;
  }

  /** Refreshes the status snapshot; the caller holds {@code lock}. */
  private void publish() {
    snapshot =
        new InstanceStatus(
            app, spec.id(), name, spec.type().value(), spec.index(), spec.release(), state, startedAt, port,
            restarts, spec.command(), reason, restartAt, HOST, exitCode, readyAt, spec.mode());
  }

  /** Memory and CPU of the running process, empty when none runs or cgroups are off. */
  Optional<ResourceUsage> usage() {
    Cgroup cgroup;
    synchronized (lock) {
      cgroup = current == null ? null : current.cgroup();
    }
    if (cgroup == null) return Optional.empty();
    return Optional.of(
        new ResourceUsage(cgroup.rssBytes(), cgroup.cpuNanos(), spec.memoryLimitBytes(), spec.cpus()));
  }

  /** Host pids of the running processes (empty when none runs). */
  Set<Long> pids() {
    InstanceProcesses processes;
    synchronized (lock) {
      processes = current;
    }
    return processes == null ? Set.of() : processes.pids();
  }

  /**
   * Stops the instance for good: SIGTERM to all its processes, SIGKILL after the grace period,
   * then waits for the supervising loop to clean up. Safe to call many times and concurrently;
   * every call returns once the instance is gone. A completed task is only removed (it has no
   * process left): it goes from COMPLETED straight to gone.
   */
  void stop() {
    CompletableFuture<Void> done;
    InstanceProcesses processes = null;
    boolean first = false;
    boolean completed = false;
    synchronized (lock) {
      if (stopped == null) {
        stopped = new CompletableFuture<>();
        first = true;
        stopping = true;
        processes = current;
        completed = state == InstanceState.COMPLETED;
        if (announced && !completed) {
          reason = ExitReason.stoppedByPlatform();
          restartAt = null;
          transition(InstanceState.STOPPING, "Stopping all processes with SIGTERM");
        }
      }
      done = stopped;
    }
    if (!first) {
      done.join();
      return;
    }
    try {
      stopRequested.countDown();
      String reason = completed ? "Removed" : "Stopped";
      if (processes != null) {
        boolean killed = processes.terminate(spec.stopGrace());
        if (killed) {
          reason = "Stopped; processes still running " + seconds(spec.stopGrace())
              + " after SIGTERM were killed with SIGKILL";
        }
      }
      finished.join();
      synchronized (lock) {
        if (announced) transition(null, reason);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      done.complete(null);
    }
  }

  private void supervise(InstanceSupervisor predecessor) {
    try {
      if (predecessor != null) predecessor.stop();
      int crashes = 0;
      while (true) {
        Instant began = ctx.clock().instant();
        if (!runOnce() || spec.mode() == RunMode.TASK) break;
        if (ctx.restartPolicy().resetsSeries(Duration.between(began, ctx.clock().instant()))) {
          crashes = 0;
        }
        crashes++;
        Duration delay = ctx.restartPolicy().delayAfter(crashes);
        if (!delay.isZero()) {
          synchronized (lock) {
            if (stopping) break;
            restartAt = ctx.clock().instant().plus(delay);
            publish();
          }
          notifyEvent("Restarting " + name + " in " + shortly(delay));
        }
        if (stopRequested.await(delay.toMillis(), TimeUnit.MILLISECONDS)) break;
        synchronized (lock) {
          if (stopping) break;
          restarts++;
          restartAt = null;
          publish();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("supervisor of {}.{} failed", app, name, e);
      synchronized (lock) {
        reason = new ExitReason(ExitReason.Kind.FAILED_TO_START, "supervisor failed: " + e, List.of());
        transition(endState(), "Supervisor failed: " + e);
      }
    } finally {
      try {
        directory.delete();
      } catch (IOException e) {
        LOG.warn("could not remove instance directory of {}.{}: {}", app, name, e.toString());
      }
      finished.complete(null);
    }
  }

  /** Runs the command once. Returns true if it crashed (restart wanted), false when stopped. */
  private boolean runOnce() throws InterruptedException {
    int runPort = 0;
    Cgroup cgroup = null;
    InstanceProcesses processes = null;
    try {
      try {
        runPort = ctx.ports().allocate();
      } catch (IllegalStateException e) {
        return crashed(ExitReason.failedToStart(e.getMessage()), "Failed to start process: " + e.getMessage());
      }
      // Confines the app's uid (before any app code runs as it) and lets it reach its own port.
      if (spec.user() != null) ctx.network().open(spec.user().uid(), runPort);
      synchronized (lock) {
        if (stopping) return false;
        port = runPort;
        startedAt = ctx.clock().instant();
        exitCode = null;
        readyAt = null;
        livenessKilled = 0;
        synchronized (lastLines) {
          lastLines.clear();
        }
        transition(InstanceState.STARTING, "Starting process with command `" + spec.command() + "`");
      }
      Path appDir;
      try {
        appDir = directory.prepare(spec.slugSource(), spec.user(), spec.disk().appBytes());
      } catch (IOException | UncheckedIOException e) {
        return crashed(ExitReason.failedToStart("could not prepare the app directory: " + e.getMessage()),
            "Failed to prepare the app directory: " + e.getMessage());
      }
      try {
        RuntimeMounts.ensure(spec.runtimeMounts());
      } catch (IOException e) {
        return crashed(ExitReason.failedToStart(e.getMessage()), "Failed to start process: " + e.getMessage());
      }
      cgroup = ctx.cgroups().create(app + "." + spec.id(),
          new CgroupLimits(spec.memoryLimitBytes(), PIDS_MAX, millicores(spec.cpus())));
      long oomKillsBefore = cgroup == null ? 0 : cgroup.oomKills();
      synchronized (lock) {
        if (stopping) return false;
        try {
          Process process = ctx.spawner().spawn(Launch.prepare(ctx.sandbox(), spec, appDir, runPort, cgroup));
          processes = new InstanceProcesses(process, cgroup);
        } catch (IOException e) {
          return crashed(ExitReason.failedToStart(e.getMessage()), "Failed to start process: " + e.getMessage());
        }
        current = processes;
      }
      OutputPump output = null;
      if (attachment != null) {
        // Its client reads the output; nothing of it goes to the logs.
        attachment.spawned(processes);
      } else {
        output = OutputPump.start(
            "pier-output-" + app + "." + name, processes.root().getInputStream(), this::notifyOutput);
      }
      boolean bootTimedOut = !awaitUp(processes, runPort);
      int status = awaitExit(processes, cgroup, runPort);
      if (attachment != null) attachment.exited(status);
      boolean stoppedMeanwhile;
      synchronized (lock) {
        stoppedMeanwhile = stopping;
      }
      // The output of a crash ends right after its exit, unless a child holds the pipe.
      if (!stoppedMeanwhile && output != null) output.join(LAST_OUTPUT_WAIT);
      boolean oom = cgroup != null && cgroup.oomKills() > oomKillsBefore;
      String logReason = exitReason(status, bootTimedOut, oom);
      ExitReason exit = exitReasonValue(status, bootTimedOut, oom);
      boolean crashed;
      synchronized (lock) {
        crashed = !stopping;
        if (crashed) {
          reason = exit;
          exitCode = status;
          readyAt = null;
          transition(endState(), logReason);
        }
      }
      if (crashed) {
        processes.kill();
      } else {
        processes.awaitEmpty(spec.stopGrace().plus(InstanceProcesses.KILL_TIMEOUT));
      }
      if (output != null) output.join(OUTPUT_DRAIN);
      return crashed;
    } finally {
      if (processes != null) processes.kill();
      if (attachment != null) attachment.failed(name + " did not start");
      synchronized (lock) {
        current = null;
        port = 0;
        publish();
      }
      if (cgroup != null) cgroup.remove();
      if (runPort != 0 && spec.user() != null) ctx.network().shut(spec.user().uid(), runPort);
      if (runPort != 0) ctx.ports().release(runPort);
    }
  }

  /**
   * Waits for the process to exit, saying in the app's log when its processes hit the pids limit
   * (a fork bomb, or a thread leak): at the first hit, then at most once a minute while it goes on;
   * and once when it fills its disk quota on /app or /tmp.
   */
  private int awaitExit(InstanceProcesses processes, Cgroup cgroup, int runPort) throws InterruptedException {
    Process root = processes.root();
    QuotaWatch quotas = new QuotaWatch(directory.disk(), spec.disk().tmpBytes(), processes::pids);
    long reported = cgroup == null ? 0 : cgroup.pidsLimitHits();
    long lastReport = 0;
    LivenessProbe liveness = livenessProbe(runPort);
    while (true) {
      boolean exited = root.waitFor(PIDS_POLL.toMillis(), TimeUnit.MILLISECONDS);
      if (!exited && liveness != null && liveness.poll()) livenessFailed(processes, liveness.failures());
      quotas.poll(name).forEach(this::notifyEvent);
      long hits = cgroup == null ? 0 : cgroup.pidsLimitHits();
      if (hits > reported && (lastReport == 0 || System.nanoTime() - lastReport > PIDS_REPORT_EVERY.toNanos())) {
        long failed = hits - reported;
        notifyEvent("Process hit its limit of " + PIDS_MAX + " processes and threads: " + failed
            + " fork" + (failed == 1 ? "" : "s") + " failed");
        reported = hits;
        lastReport = System.nanoTime();
      }
      if (exited) return root.exitValue();
    }
  }

  /**
   * The liveness probe of this run (app.yaml {@code liveness_check}), or null: none configured,
   * not a web service, or not up (it exited or is stopping).
   */
  private LivenessProbe livenessProbe(int runPort) {
    Probes.Liveness check = spec.probes().liveness();
    if (check == null || spec.mode() == RunMode.TASK || !spec.type().equals(ProcessType.WEB)) return null;
    synchronized (lock) {
      if (state != InstanceState.UP || stopping || runPort == 0) return null;
    }
    return new LivenessProbe(check, runPort);
  }

  /** Says why in the app's log and kills the run; it then ends as a crash and is restarted. */
  private void livenessFailed(InstanceProcesses processes, int failures) throws InterruptedException {
    synchronized (lock) {
      if (stopping) return;
      livenessKilled = failures;
    }
    notifyEvent("liveness check failed " + failures + " times, restarting " + name);
    processes.kill();
  }

  private boolean crashed(ExitReason exit, String logReason) {
    synchronized (lock) {
      if (stopping) return false;
      reason = exit;
      readyAt = null;
      transition(endState(), logReason);
      return true;
    }
  }

  /** Where an end the platform did not ask for leads: CRASHED for a service, COMPLETED for a task. */
  private InstanceState endState() {
    return spec.mode() == RunMode.TASK ? InstanceState.COMPLETED : InstanceState.CRASHED;
  }

  /** The spec's CPU limit in thousandths of a core; at least 1 when there is a limit at all. */
  static int millicores(double cpus) {
    if (cpus == 0) return 0;
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(cpus * 1000)));
  }

  /** The spec's boot timeout, or the backend's when it has none. */
  private Duration bootTimeout() {
    return spec.bootTimeout() != null ? spec.bootTimeout() : ctx.bootTimeout();
  }

  /**
   * Waits until the instance is up: for web services until the port accepts connections, for
   * others (and tasks) right away. Returns false if a web service did not bind within the boot
   * timeout (it is killed then); true otherwise, including when it exited or is being stopped.
   */
  private boolean awaitUp(InstanceProcesses processes, int runPort) throws InterruptedException {
    if (spec.mode() == RunMode.TASK || !spec.type().equals(ProcessType.WEB)) {
      synchronized (lock) {
        up("Process running");
      }
      return true;
    }
    long start = System.nanoTime();
    long deadline = start + bootTimeout().toNanos();
    // app.yaml readiness_check.check_interval_sec: the path is asked at most this often.
    Duration readyEvery = spec.probes().readinessInterval();
    long nextReadyProbe = start;
    while (processes.root().isAlive()) {
      synchronized (lock) {
        if (stopping) return true;
      }
      if (accepting(runPort) && System.nanoTime() - nextReadyProbe >= 0) {
        if (readyEvery != null) nextReadyProbe = System.nanoTime() + readyEvery.toNanos();
        if (ready(runPort)) {
          synchronized (lock) {
            up(spec.readinessPath() == null
                ? "port " + runPort + " accepting connections"
                : "GET " + spec.readinessPath() + " answered 2xx on port " + runPort);
          }
          return true;
        }
      }
      if (System.nanoTime() > deadline) {
        processes.kill();
        return false;
      }
      // A cold start holds requests: look often while a quick boot is still likely.
      Thread.sleep(System.nanoTime() - start < FAST_POLL_FOR.toNanos() ? FAST_POLL : READY_POLL);
    }
    return true;
  }

  /** Reports UP, clearing the last crash's reason; the caller holds {@code lock}. */
  private void up(String why) {
    if (!stopping) {
      reason = null;
      readyAt = ctx.clock().instant();
    }
    // The cold start, in the app log: how long from spawning the process to ready.
    String took = startedAt == null || readyAt == null ? ""
        : " (ready " + java.time.Duration.between(startedAt, readyAt).toMillis() + " ms after start)";
    transition(InstanceState.UP, why + took);
  }

  private String exitReason(int status, boolean bootTimedOut, boolean oom) {
    if (bootTimedOut && spec.readinessPath() != null) {
      return "Web process did not answer 2xx to GET " + spec.readinessPath() + " within "
          + seconds(bootTimeout()) + " of launch";
    }
    if (bootTimedOut) {
      return "Web process failed to bind to $PORT within " + seconds(bootTimeout())
          + " of launch";
    }
    int killedAfter;
    synchronized (lock) {
      killedAfter = livenessKilled;
    }
    if (killedAfter > 0) {
      return "Process killed: liveness check GET " + spec.probes().liveness().path() + " failed "
          + killedAfter + " times in a row";
    }
    String reason = "Process exited with status " + status;
    if (oom) {
      reason += " after exceeding its memory limit of " + (spec.memoryLimitBytes() >> 20) + " MB";
    }
    return reason;
  }

  /** The reason {@code pier ps} shows, quoting the last lines of output. */
  private ExitReason exitReasonValue(int status, boolean bootTimedOut, boolean oom) {
    List<String> last = lastOutput();
    if (bootTimedOut) return ExitReason.bootTimeout(bootTimeout(), spec.readinessPath(), last);
    if (oom) return ExitReason.outOfMemory(spec.memoryLimitBytes(), last);
    int killedAfter;
    synchronized (lock) {
      killedAfter = livenessKilled;
    }
    if (killedAfter > 0) {
      return new ExitReason(ExitReason.Kind.EXITED, "killed: liveness check GET "
          + spec.probes().liveness().path() + " failed " + killedAfter + " times in a row", last);
    }
    return ExitReason.exited(status, last);
  }

  private List<String> lastOutput() {
    synchronized (lastLines) {
      return List.copyOf(lastLines);
    }
  }

  /** With a readiness path, true once GET path answers 2xx; without one, true. */
  private boolean ready(int port) {
    String path = spec.readinessPath();
    if (path == null) return true;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(PortAllocator.loopback(), port), 200);
      socket.setSoTimeout(2000);
      String request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: pier-readiness"
          + "\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      byte[] head = socket.getInputStream().readNBytes(12);
      String status = new String(head, java.nio.charset.StandardCharsets.US_ASCII);
      return status.startsWith("HTTP/1.") && status.length() == 12 && status.charAt(9) == '2';
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean accepting(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(PortAllocator.loopback(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Reports a transition; the caller holds {@code lock}. Ignored while stopping, except STOPPING/gone. */
  private void transition(InstanceState to, String reason) {
    if (stopping && to != InstanceState.STOPPING && to != null) return;
    InstanceState from = announced ? state : null;
    if (to != null) state = to;
    announced = true;
    publish();
    try {
      ctx.listener().stateChanged(app, name, from, to, reason);
    } catch (RuntimeException e) {
      LOG.warn("instance listener failed on a state change of {}.{}", app, name, e);
    }
  }

  private void notifyEvent(String message) {
    try {
      ctx.listener().event(app, name, message);
    } catch (RuntimeException e) {
      LOG.warn("instance listener failed on an event of {}.{}", app, name, e);
    }
  }

  private void notifyOutput(String line) {
    synchronized (lastLines) {
      if (lastLines.size() == ExitReason.LAST_LINES) lastLines.removeFirst();
      lastLines.addLast(line.length() > 200 ? line.substring(0, 200) + "…" : line);
    }
    try {
      ctx.listener().output(app, name, line);
    } catch (RuntimeException e) {
      LOG.warn("instance listener failed on output of {}.{}", app, name, e);
    }
  }

  /** "4 s", "1.5 s", "2 min": the restart delay in a log line. */
  private static String shortly(Duration d) {
    if (d.toMillis() % 60_000 == 0) return d.toMinutes() + " min";
    long millis = d.toMillis();
    return (millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0)) + " s";
  }

  private static String seconds(Duration d) {
    long millis = d.toMillis();
    if (millis == 1000) return "1 second";
    return (millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0))
        + " seconds";
  }
}
