package dev.pier.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** Heroku-style text: {@code === } headers, aligned columns, times and sizes people read easily. */
final class Format {
  static final String ERROR_PREFIX = " !     ";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private Format() {}

  /** Returns {@code "=== title"}. */
  static String header(String title) {
    return "=== " + title;
  }

  /**
   * Returns {@code "KEY: value"} lines with the values aligned one space after the longest
   * {@code KEY:}; no line ends in a space.
   */
  static List<String> keyValues(Map<String, String> values) {
    int width = values.keySet().stream().mapToInt(String::length).max().orElse(0) + 1;
    return values.entrySet().stream()
        .map(e -> (pad(e.getKey() + ":", width) + " " + e.getValue()).stripTrailing())
        .toList();
  }

  /** Pads {@code text} with spaces on the right to {@code width} characters. */
  static String pad(String text, int width) {
    return text.length() >= width ? text : text + " ".repeat(width - text.length());
  }

  /** Returns a UTC time as {@code 2026/11/27 05:31:00}. */
  static String time(Instant time) {
    return TIME.format(time);
  }

  /** Returns an age like {@code 42s}, {@code 5m}, {@code 3h} or {@code 2d}. */
  static String age(Duration age) {
    long seconds = Math.max(0, age.toSeconds());
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return seconds / 60 + "m";
    }
    if (seconds < 86400) {
      return seconds / 3600 + "h";
    }
    return seconds / 86400 + "d";
  }

  /** Returns {@code "2026/11/27 05:31:00 (~ 42s ago)"}. */
  static String timeAgo(Instant time, Duration age) {
    return time(time) + " (~ " + age(age) + " ago)";
  }

  /** Returns a byte count as {@code 512 B}, {@code 1.2 KB}, {@code 3.4 MB} or {@code 1.1 GB}. */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  /** Joins names as {@code a, b, c}. */
  static String list(List<String> names) {
    return String.join(", ", names);
  }
}
