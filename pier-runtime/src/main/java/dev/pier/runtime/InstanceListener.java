package dev.pier.runtime;

import dev.pier.model.InstanceState;

/**
 * Receives the output and state changes of instances. Methods are called from the backend's
 * reader and supervisor threads: they must be cheap, must not block and must not throw. They may
 * call {@link RuntimeBackend#list}, but not {@link RuntimeBackend#stop} or {@link
 * RuntimeBackend#close}, which wait for the calling thread. State changes of one instance arrive
 * in order; calls for different instances may arrive concurrently.
 */
public interface InstanceListener {
  /** A listener that ignores everything. */
  InstanceListener NONE =
      new InstanceListener() {
        @Override
        public void output(String app, String instance, String line) {}

        @Override
        public void stateChanged(
            String app, String instance, InstanceState from, InstanceState to, String reason) {}
      };

  /** One line the instance wrote to stdout or stderr, without the line terminator. */
  void output(String app, String instance, String line);

  /**
   * The instance moved from one state to another, for a human-readable reason such as "Starting
   * process with command `npm start`", "port 5000 accepting connections" or "Process exited with
   * status 1".
   *
   * @param from the previous state, or null when the instance is new
   * @param to the new state, or null when the instance is gone after being stopped
   */
  void stateChanged(String app, String instance, InstanceState from, InstanceState to, String reason);

  /**
   * Something the app's developer should know that is no state change, such as "Restarting web.1
   * in 4 s" or that the instance hit its process limit. Ignored unless overridden.
   */
  default void event(String app, String instance, String message) {}
}
