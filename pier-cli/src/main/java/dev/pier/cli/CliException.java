package dev.pier.cli;

/**
 * A failure the user should see: printed once to stderr as {@code " !     " + getMessage()}, and
 * the command exits with {@link #exitCode()}. The message is a sentence for the user, without the
 * prefix.
 */
class CliException extends RuntimeException {
  private final int exitCode;

  CliException(String message) {
    this(message, 1);
  }

  CliException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
