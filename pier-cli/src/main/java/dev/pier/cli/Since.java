package dev.pier.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * How far back a log search or a metrics view reaches, as the user types it and the API takes it:
 * a duration such as {@code 30s}, {@code 15m}, {@code 2h} or {@code 7d}, or an ISO-8601 time with
 * its offset such as {@code 2026-11-27T05:00:00Z}.
 *
 * @param text the value, sent to the API unchanged
 */
record Since(String text) {
  private static final Pattern DURATION = Pattern.compile("[1-9]\\d{0,8}[smhd]");

  Since {
    if (text == null || !(DURATION.matcher(text).matches() || isTime(text))) {
      throw new IllegalArgumentException("invalid since: " + text);
    }
  }

  /**
   * Parses {@code --since}.
   *
   * @throws CliException for anything else, such as {@code 2 hours}, {@code 0h} or {@code yesterday}
   */
  static Since parse(String text) {
    try {
      return new Since(text);
    } catch (IllegalArgumentException e) {
      throw new CliException("Invalid --since '" + text
          + "': use a duration such as 30s, 15m, 2h or 7d, or an ISO-8601 time such as 2026-11-27T05:00:00Z");
    }
  }

  /** Returns the range in words: {@code "the last 2h"} or {@code "since 2026-11-27T05:00:00Z"}. */
  String describe() {
    return DURATION.matcher(text).matches() ? "the last " + text : "since " + text;
  }

  private static boolean isTime(String text) {
    try {
      Instant.parse(text);
      return true;
    } catch (DateTimeParseException notAnInstant) {
      try {
        OffsetDateTime.parse(text);
        return true;
      } catch (DateTimeParseException notATime) {
        return false;
      }
    }
  }
}
