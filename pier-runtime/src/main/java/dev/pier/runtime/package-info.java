/**
 * Running app instances ("dynos"): the {@link dev.pier.runtime.RuntimeBackend} contract, the
 * {@link dev.pier.runtime.InstanceSpec} of what to run, {@link dev.pier.runtime.InstanceStatus}
 * snapshots and the {@link dev.pier.runtime.InstanceListener} hook for output and state changes.
 *
 * <p>Life of an instance:
 *
 * <pre>
 *   start() -> STARTING -> UP --(exits on its own)--> CRASHED --(backoff)--> STARTING ...
 *                 \          \
 *                  `----------`--(stop())--> STOPPING -> gone
 * </pre>
 *
 * Implementations live in sub-packages named after the backend ({@code runtime.local}).
 */
package dev.pier.runtime;
