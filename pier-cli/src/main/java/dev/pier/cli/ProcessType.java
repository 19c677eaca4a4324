package dev.pier.cli;

import java.util.regex.Pattern;

/** Checks a process type given on the command line, such as {@code web} or {@code worker}. */
final class ProcessType {
  static final String FORM = "[a-z][a-z0-9_-]{0,29}";
  private static final Pattern PATTERN = Pattern.compile(FORM);

  private ProcessType() {}

  /**
   * Returns {@code type} when it is a process type name.
   *
   * @throws CliException for anything else, such as {@code Web} or {@code web/1}
   */
  static String check(String type) {
    if (!PATTERN.matcher(type).matches()) {
      throw new CliException("Invalid process type '" + type
          + "': use a lowercase name from the Procfile, such as web or worker");
    }
    return type;
  }
}
