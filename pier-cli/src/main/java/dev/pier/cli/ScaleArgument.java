package dev.pier.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code TYPE=COUNT} argument of {@code ps:scale}.
 *
 * @param type a process type such as {@code web}
 * @param count the number of instances wanted, zero or more
 */
record ScaleArgument(String type, int count) {
  private static final Pattern FORM = Pattern.compile("([a-z][a-z0-9_-]{0,29})=(\\d{1,9})");

  ScaleArgument {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative: " + count);
    }
  }

  /**
   * Parses {@code TYPE=COUNT}.
   *
   * @throws CliException for anything else, such as {@code web=-1} or {@code web}
   */
  static ScaleArgument parse(String text) {
    Matcher matcher = FORM.matcher(text);
    if (!matcher.matches()) {
      throw new CliException("Invalid scale argument '" + text + "': use TYPE=COUNT");
    }
    return new ScaleArgument(matcher.group(1), Integer.parseInt(matcher.group(2)));
  }
}
