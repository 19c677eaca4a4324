package dev.pier.build;

/**
 * A build step failed for a reason the app's developer can act on. The message is shown to them
 * as it is: one sentence naming the problem, such as {@code Procfile line 3: expected 'type:
 * command'}.
 */
public final class BuildFailure extends Exception {
  public BuildFailure(String message) {
    super(message);
  }

  public BuildFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
