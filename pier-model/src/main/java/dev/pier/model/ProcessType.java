package dev.pier.model;

import java.util.regex.Pattern;

/** A process type from a Procfile, such as {@code web} or {@code worker}. */
public record ProcessType(String value) {
  private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9_-]{0,29}");
  public static final ProcessType WEB = new ProcessType("web");

  public ProcessType {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "invalid process type '" + AppName.printable(value)
              + "': use up to 30 lowercase letters, digits, '-' or '_', starting with a letter");
    }
  }

  public static ProcessType of(String value) {
    return new ProcessType(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
