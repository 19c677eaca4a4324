package dev.pier.router;

/**
 * Told that a request is waiting for a version without instances that is starting or asleep
 * ({@link dev.pier.model.VersionRoute#hold()}), so the control plane can start it (scale it from
 * zero), as Knative's activator pokes the autoscaler.
 *
 * <p>Contract: called on a router event loop, so it MUST return quickly and MUST NOT block (hand
 * the work to another thread); it MUST be safe to call from several threads at once. The router
 * calls it at most about once a second per app and version (when a request is held, and again
 * while requests stay held as tables are published), so the callee should still treat repeated
 * calls as one. Exceptions are logged and dropped.
 */
@FunctionalInterface
public interface Waker {
  /** Ignores every call. */
  Waker NONE = (app, version) -> {};

  /**
   * Asks for {@code version} of {@code app} to be started.
   *
   * @param app the app's name, as in {@link dev.pier.model.Route#app()}
   * @param version the version number a request waits for
   */
  void wake(String app, int version);
}
