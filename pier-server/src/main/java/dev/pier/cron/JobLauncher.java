package dev.pier.cron;

import java.util.Optional;

/**
 * Starts a command job's run as a one-off instance of the app's current release and reports how
 * it ended. Implementations are safe for concurrent use.
 */
public interface JobLauncher {
  /** A started run: the app and the instance id it runs as ({@code scheduler.N}). */
  record Launched(String app, String instance) {}

  /**
   * How a run ended.
   *
   * @param exitCode the command's exit status, or null when it never ran or vanished
   * @param reason why it ended, as the runtime said, or null
   */
  record Outcome(Integer exitCode, String reason) {}

  /**
   * Starts {@code command} in a new instance named {@code name} of the app's current release
   * (same slug, config vars, sandbox and size as its other instances).
   *
   * @throws dev.pier.errors.PlatformException when the app has no release to run
   */
  Launched launch(String app, String command, String name);

  /** How the run ended, or empty while it still runs. */
  Optional<Outcome> outcome(Launched run);

  /** Stops the run if it still runs and forgets its instance; call once its outcome is recorded. */
  void remove(Launched run);
}
