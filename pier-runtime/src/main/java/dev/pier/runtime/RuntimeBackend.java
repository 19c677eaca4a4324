package dev.pier.runtime;

import java.util.List;

/**
 * Runs the instances ("dynos") of apps and keeps them running: a crashed service is restarted
 * with backoff until it is stopped; a {@link RunMode#TASK} runs once and stays listed as {@code
 * COMPLETED}, with its exit code, until it is stopped. A reconciler compares {@link #list} with
 * what it wants and calls {@link #start} and {@link #stop}; it connects to an instance at its
 * status's {@code host} and {@code port}, never assuming loopback.
 *
 * <p>Implementations are safe for concurrent use: {@code start}, {@code stop} and {@code list} may
 * be called from many threads at once. State changes and output are reported through an {@link
 * InstanceListener} given to the implementation.
 */
public interface RuntimeBackend extends AutoCloseable {
  /**
   * Starts an instance, replacing a running instance of the same app and id first (the old one
   * is stopped before the new one starts). Returns quickly: the instance goes through {@code
   * STARTING} to {@code UP} in the background.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  void start(InstanceSpec spec);

  /**
   * Stops one instance: SIGTERM to every process of the instance, SIGKILL to what remains after
   * {@link InstanceSpec#stopGrace()}; blocks until no process of it is left. It is not restarted
   * afterwards. Removes a completed task (it has no process left). Does nothing if the instance
   * is unknown.
   *
   * @param id the instance's {@link InstanceSpec#id()}
   */
  void stop(String app, String id);

  /**
   * Returns the current instances of an app, including crashed ones waiting for a restart,
   * completed tasks and ones being stopped, ordered by process type, index and id. Empty if the
   * app has none.
   */
  List<InstanceStatus> list(String app);

  /**
   * Memory and CPU use of a running instance (by {@link InstanceSpec#id()}), with its limits;
   * empty when unknown, not running, or the backend cannot measure it.
   */
  default java.util.Optional<ResourceUsage> usage(String app, String id) {
    return java.util.Optional.empty();
  }

  /**
   * Attaches to the streams of a task started with {@link InstanceSpec#withInteractive}: waits
   * until its process runs (a few seconds at most), then hands over its stdin and output. Only
   * one attachment per task; its output stays unread (the task blocks once a pipe buffer is full)
   * until then.
   *
   * @throws java.util.NoSuchElementException when no such instance is known
   * @throws IllegalStateException when it is not interactive, was attached already, or ended
   *     before it ran
   * @throws UnsupportedOperationException when the backend cannot attach at all
   */
  default Attachment attach(String app, String id) {
    throw new UnsupportedOperationException("this runtime backend cannot attach to instances");
  }

  /** Stops every instance, in parallel, and blocks until all are gone. Used at server shutdown. */
  @Override
  void close();
}
