/**
 * Running app instances ("dynos"): the {@link dev.pier.runtime.RuntimeBackend} contract, the
 * {@link dev.pier.runtime.InstanceSpec} of what to run (command, memory and CPU limits, disk
 * quotas, {@link dev.pier.runtime.RunMode}, boot timeout, {@link dev.pier.runtime.SlugSource},
 * read-only {@link dev.pier.runtime.RuntimeMount}s of shared language runtimes),
 * {@link dev.pier.runtime.InstanceStatus} snapshots (state, address, exit code, why it is not
 * running) and the {@link dev.pier.runtime.InstanceListener} hook for output and state changes.
 *
 * <p>Life of a service (web, worker):
 *
 * <pre>
 *   start() -> STARTING -> UP --(exits on its own)--> CRASHED --(backoff)--> STARTING ...
 *                 \          \
 *                  `----------`--(stop())--> STOPPING -> gone
 * </pre>
 *
 * <p>Life of a task (one-off or scheduled job, {@code InstanceSpec.withTask()}):
 *
 * <pre>
 *   start() -> STARTING -> UP --(exits, or is killed for memory)--> COMPLETED --(stop())--> gone
 *                 \          \
 *                  `----------`--(stop())--> STOPPING -> gone
 * </pre>
 *
 * Implementations live in sub-packages named after the backend ({@code runtime.local}).
 */
package dev.pier.runtime;
