package dev.pier.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A release or version number as the user types it: {@code v3} or {@code 3}.
 *
 * @param number the release number, 1 or more
 */
record VersionArgument(int number) {
  private static final Pattern FORM = Pattern.compile("[vV]?(\\d{1,9})");

  VersionArgument {
    if (number < 1) {
      throw new IllegalArgumentException("version must be positive: " + number);
    }
  }

  /**
   * Parses {@code vN} or {@code N}.
   *
   * @throws CliException for anything else, such as {@code v0}, {@code -1} or {@code latest}
   */
  static VersionArgument parse(String text) {
    Matcher matcher = FORM.matcher(text);
    if (!matcher.matches() || Integer.parseInt(matcher.group(1)) < 1) {
      throw new CliException("Invalid version '" + text + "': use vN or N, such as v3");
    }
    return new VersionArgument(Integer.parseInt(matcher.group(1)));
  }

  /** Returns {@code "v3"}. */
  @Override
  public String toString() {
    return "v" + number;
  }
}
