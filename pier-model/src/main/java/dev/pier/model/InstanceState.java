package dev.pier.model;

/** The observed state of one instance, as `pier ps` shows it. */
public enum InstanceState {
  /** Started; the web port does not accept connections yet. */
  STARTING,
  /** Running (and, for web instances, accepting connections). */
  UP,
  /** Exited unexpectedly; waiting for a restart with backoff. */
  CRASHED,
  /** Being stopped: SIGTERM sent, SIGKILL after the grace period. */
  STOPPING,
  /**
   * A run-to-completion task whose process ended (on its own or killed for its memory); it is not
   * restarted and stays listed, with its exit code, until it is removed.
   */
  COMPLETED;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
