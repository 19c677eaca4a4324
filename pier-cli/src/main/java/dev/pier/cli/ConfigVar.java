package dev.pier.cli;

import java.util.regex.Pattern;

/**
 * One {@code KEY=VALUE} argument of {@code config:set}. The value is everything after the first
 * {@code =}: it may contain more {@code =} signs and may be empty.
 */
record ConfigVar(String key, String value) {
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  ConfigVar {
    checkKey(key);
    if (value == null) {
      throw new IllegalArgumentException("value must not be null");
    }
  }

  /**
   * Parses {@code KEY=VALUE}.
   *
   * @throws CliException when there is no {@code =} or the key is not a valid name
   */
  static ConfigVar parse(String text) {
    int equals = text.indexOf('=');
    if (equals < 0) {
      throw new CliException("Invalid config var '" + text + "': use KEY=VALUE");
    }
    return new ConfigVar(text.substring(0, equals), text.substring(equals + 1));
  }

  /**
   * Checks a key: letters, digits and underscores, not starting with a digit.
   *
   * @throws CliException otherwise
   */
  static String checkKey(String key) {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new CliException("Invalid config var name '" + key
          + "': use letters, digits and underscores, not starting with a digit");
    }
    return key;
  }
}
