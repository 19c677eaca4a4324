package dev.pier.runtime;

import dev.pier.model.InstanceState;
import java.time.Instant;

/**
 * A snapshot of one instance, as {@code pier ps} shows it.
 *
 * @param id the key of the instance within its app (see {@link InstanceSpec#id()})
 * @param name {@code TYPE.INDEX}, e.g. {@code web.1}
 * @param state the observed state
 * @param startedAt when the current (or last) process was started; null before the first start
 * @param port the loopback port the instance listens on, or 0 while it has no process
 * @param restarts how many times the instance was restarted after crashing
 * @param command the shell command line it runs
 * @param reason why it is not running (crashed, starting again after a crash, or being stopped);
 *     null while it runs or before its first end
 * @param restartAt when a crashed instance will be started again; null unless it waits for that
 * @param host the address the instance listens on, with {@code port}: what a router connects to
 *     (the local backend gives every instance {@code 127.0.0.1})
 * @param exitCode the exit status of the last process that ended on its own: a completed task's,
 *     or a crashed service's (137 when it was SIGKILLed, e.g. for memory); null while it runs,
 *     before its first end, and when it could not be started at all
 * @param readyAt when the current process became {@code UP}; null while not up
 * @param mode {@link RunMode#SERVICE} for the formation's instances, {@link RunMode#TASK} for
 *     one-off and scheduled runs, which the control loop leaves alone
 */
public record InstanceStatus(
    String app,
    String id,
    String name,
    String type,
    int index,
    int release,
    InstanceState state,
    Instant startedAt,
    int port,
    int restarts,
    String command,
    ExitReason reason,
    Instant restartAt,
    String host,
    Integer exitCode,
    Instant readyAt,
    RunMode mode) {
  /** The address the local backend gives instances, and the default {@code host}. */
  public static final String LOOPBACK = "127.0.0.1";

  public InstanceStatus {
    if (mode == null) mode = RunMode.SERVICE;
  }

  /** A service's status. */
  public InstanceStatus(
      String app, String id, String name, String type, int index, int release, InstanceState state,
      Instant startedAt, int port, int restarts, String command, ExitReason reason, Instant restartAt,
      String host, Integer exitCode, Instant readyAt) {
    this(app, id, name, type, index, release, state, startedAt, port, restarts, command, reason,
        restartAt, host, exitCode, readyAt, RunMode.SERVICE);
  }

  /** True for a one-off or scheduled run ({@link RunMode#TASK}). */
  public boolean task() {
    return mode == RunMode.TASK;
  }

  /** A status on the loopback address without exit code or ready time. */
  public InstanceStatus(
      String app, String id, String name, String type, int index, int release, InstanceState state,
      Instant startedAt, int port, int restarts, String command, ExitReason reason, Instant restartAt) {
    this(app, id, name, type, index, release, state, startedAt, port, restarts, command, reason,
        restartAt, LOOPBACK, null, null);
  }
}
