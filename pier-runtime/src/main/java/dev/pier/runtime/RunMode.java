package dev.pier.runtime;

/** How a backend treats the end of an instance's process. */
public enum RunMode {
  /**
   * A long-running process (web, worker): when it exits on its own it is reported {@code
   * CRASHED} and started again with backoff, until it is stopped. Web services are up once their
   * port accepts connections, within the boot timeout.
   */
  SERVICE,
  /**
   * A run-to-completion process (one-off or scheduled job): it runs once and is never restarted.
   * It is up as soon as it runs (no port wait, no boot timeout); when it exits it stays listed as
   * {@code COMPLETED} with its exit code and reason until {@link RuntimeBackend#stop} removes it.
   */
  TASK
}
