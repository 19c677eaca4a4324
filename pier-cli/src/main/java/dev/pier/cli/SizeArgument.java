package dev.pier.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code TYPE=SIZE} argument of {@code ps:type}, such as {@code web=standard-2x}. Only the
 * form is checked here; the server knows which sizes exist.
 */
record SizeArgument(String type, String size) {
  static final String SIZES = "basic, standard-1x, standard-2x or performance-m";
  private static final Pattern FORM =
      Pattern.compile("(" + ProcessType.FORM + ")=([a-z][a-z0-9]{0,19}(?:-[a-z0-9]{1,19}){0,3})");

  /**
   * Parses {@code TYPE=SIZE}.
   *
   * @throws CliException for anything else, such as {@code web}, {@code web=2X} or {@code web:basic}
   */
  static SizeArgument parse(String text) {
    Matcher matcher = FORM.matcher(text);
    if (!matcher.matches()) {
      throw new CliException("Invalid size argument '" + text + "': use TYPE=SIZE, such as web=standard-2x (sizes: "
          + SIZES + ")");
    }
    return new SizeArgument(matcher.group(1), matcher.group(2));
  }
}
