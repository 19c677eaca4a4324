package dev.pier.routersettings;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and formats setting values: durations as a whole number and a unit ({@code 500ms},
 * {@code 30s}, {@code 2m}, {@code 1h}) and sizes as a whole number and an optional binary unit
 * ({@code 1024}, {@code 512KB}, {@code 50MB}, {@code 1GB}; 1 KB = 1024 bytes).
 */
final class SettingValues {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");
  private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?");
  private static final long KB = 1024;
  private static final long MB = 1024 * KB;
  private static final long GB = 1024 * MB;

  private SettingValues() {}

  /** Milliseconds of {@code text}, or -1 if it is not a duration. */
  static long parseMillis(String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) return -1;
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> n;
      case "s" -> n * 1_000;
      case "m" -> n * 60_000;
      default -> n * 3_600_000;
    };
  }

  /** Bytes of {@code text}, or -1 if it is not a size. */
  static long parseBytes(String text) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) return -1;
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2);
    long scale = switch (unit.charAt(0)) {
      case 'k' -> KB;
      case 'm' -> MB;
      case 'g' -> GB;
      default -> 1;
    };
    try {
      return Math.multiplyExact(n, scale);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE; // out of any range
    }
  }

  /** {@code 1500ms}, {@code 30s}, {@code 5m}, {@code 1h}: the largest unit that divides it. */
  static String formatMillis(long millis) {
    if (millis % 3_600_000 == 0 && millis > 0) return millis / 3_600_000 + "h";
    if (millis % 60_000 == 0 && millis > 0) return millis / 60_000 + "m";
    if (millis % 1_000 == 0) return millis / 1_000 + "s";
    return millis + "ms";
  }

  /** {@code 1000B}, {@code 8KB}, {@code 50MB}, {@code 1GB}: the largest unit that divides it. */
  static String formatBytes(long bytes) {
    if (bytes % GB == 0 && bytes > 0) return bytes / GB + "GB";
    if (bytes % MB == 0 && bytes > 0) return bytes / MB + "MB";
    if (bytes % KB == 0 && bytes > 0) return bytes / KB + "KB";
    return bytes + "B";
  }
}
