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
    Instant restartAt) {}
