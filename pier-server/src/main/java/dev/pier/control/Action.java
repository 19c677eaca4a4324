package dev.pier.control;

/** One step of a {@link Plan}. */
public sealed interface Action {
  /** Start a new instance in {@code slot} (beside any instance it replaces). */
  record Start(Slot slot) implements Action {}

  /**
   * Take instance {@code id} out of routing; it is stopped once its requests are done. {@code
   * why} says why it goes, in the app log and when it stops.
   */
  record Drain(String id, String why) implements Action {}

  /** Stop instance {@code id} now (SIGTERM, grace, SIGKILL); {@code why} goes to the app log. */
  record Stop(String id, String why) implements Action {}
}
