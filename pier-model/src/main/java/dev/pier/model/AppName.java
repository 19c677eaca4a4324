package dev.pier.model;

import java.util.regex.Pattern;

/**
 * The name of an app: 3 to 30 characters of lowercase letters, digits and dashes, starting with a
 * letter and not ending with a dash. It is the security boundary for everything derived from it
 * (host names, directory names, cgroup names), so no other form can be constructed.
 */
public record AppName(String value) {
  private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9-]{1,28}[a-z0-9]");

  public AppName {
    if (value == null || !VALID.matcher(value).matches() || value.contains("--")) {
      throw new IllegalArgumentException(
          "invalid app name '" + printable(value) + "': use 3 to 30 lowercase letters, digits and"
              + " single dashes, starting with a letter and not ending with a dash");
    }
  }

  public static AppName of(String value) {
    return new AppName(value);
  }

  static String printable(String value) {
    if (value == null) return "";
    String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
    return shown.replaceAll("[^\\x20-\\x7e]", "?");
  }

  @Override
  public String toString() {
    return value;
  }
}
