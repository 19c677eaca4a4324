package dev.pier.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration option such as {@code 90s}, {@code 5m}, {@code 1h} or plain seconds ({@code 90}),
 * in whole seconds.
 */
final class DurationArgument {
  private static final Pattern FORM = Pattern.compile("(\\d{1,7})([smh]?)");

  private DurationArgument() {}

  /**
   * Returns the seconds {@code text} stands for.
   *
   * @throws CliException naming {@code option} for anything else, such as {@code 5x} or {@code -1s}
   */
  static long seconds(String option, String text) {
    Matcher matcher = FORM.matcher(text.strip());
    if (!matcher.matches()) {
      throw new CliException("Invalid " + option + " '" + text + "': use a duration such as 90s, 5m or 1h");
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "m" -> amount * 60;
      case "h" -> amount * 3600;
      default -> amount;
    };
  }

  /** Returns seconds as people say them: {@code 45s}, {@code 5m}, {@code 1h}, {@code 90s}. */
  static String describe(long seconds) {
    if (seconds > 0 && seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    if (seconds > 0 && seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }
}
