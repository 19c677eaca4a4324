package dev.pier.oneoff;

import dev.pier.deploy.InstanceSize;
import dev.pier.errors.PlatformException;
import dev.pier.runtime.Interactive;
import java.time.Duration;

/**
 * What to run as a one-off process.
 *
 * @param command the shell command line, run as {@code /bin/sh -c COMMAND} in {@code /app}
 * @param type the process type it is listed under: {@code run} for {@code pier run}, another for
 *     a scheduler's jobs
 * @param size the instance size; null for the platform's default limits
 * @param interactive how a client attaches ({@code pier run}); null for a detached run whose
 *     output goes to the app's logs
 * @param timeLimit how long it may run before it is stopped
 */
public record OneOffRequest(
    String command, String type, InstanceSize size, Interactive interactive, Duration timeLimit) {
  /** The longest time limit a run may ask for. */
  public static final Duration MAX_TIME_LIMIT = Duration.ofDays(7);

  public OneOffRequest {
    if (command == null || command.isBlank()) throw PlatformException.invalid("command must not be empty");
    if (command.length() > 32_768) throw PlatformException.invalid("command is longer than 32768 characters");
    if (type == null || type.isBlank()) type = OneOffs.RUN;
    if (timeLimit == null) timeLimit = OneOffs.DEFAULT_TIME_LIMIT;
    if (timeLimit.isNegative() || timeLimit.isZero() || timeLimit.compareTo(MAX_TIME_LIMIT) > 0) {
      throw PlatformException.invalid("time limit must be between 1 second and "
          + MAX_TIME_LIMIT.toDays() + " days: " + timeLimit.toSeconds() + " s");
    }
  }

  /** A detached {@code run} of {@code command} with the default size and time limit. */
  public static OneOffRequest detached(String command) {
    return new OneOffRequest(command, OneOffs.RUN, null, null, null);
  }

  /** True when a client attaches to it. */
  public boolean attached() {
    return interactive != null;
  }
}
