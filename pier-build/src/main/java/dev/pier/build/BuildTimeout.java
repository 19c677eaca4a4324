package dev.pier.build;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An app's own build timeout, from its config var {@value #CONFIG_VAR}: a number with a unit,
 * {@code 90s}, {@code 30m}, {@code 1h}, {@code 1h30m}, or plain seconds; between {@link #MIN}
 * and {@link #MAX}.
 */
public final class BuildTimeout {
  public static final String CONFIG_VAR = "PIER_BUILD_TIMEOUT";
  static final Duration MIN = Duration.ofSeconds(1);
  static final Duration MAX = Duration.ofHours(2);

  private static final Pattern FORM = Pattern.compile("(?:(\\d{1,4})h)?(?:(\\d{1,5})m)?(?:(\\d{1,6})s?)?");

  private BuildTimeout() {}

  /**
   * The timeout the app's config vars set, or null when they set none.
   *
   * @throws BuildFailure naming the variable when its value is not a duration in range
   */
  public static Duration of(Map<String, String> configVars) throws BuildFailure {
    String text = configVars.get(CONFIG_VAR);
    if (text == null || text.isBlank()) return null;
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new BuildFailure("config var " + CONFIG_VAR + ": " + e.getMessage());
    }
  }

  /**
   * Parses {@code 90s}, {@code 30m}, {@code 1h30m}, {@code 120}.
   *
   * @throws IllegalArgumentException with a user-facing reason
   */
  public static Duration parse(String text) {
    String t = text.strip().toLowerCase(java.util.Locale.ROOT);
    Matcher m = FORM.matcher(t);
    if (t.isEmpty() || !m.matches()) {
      throw new IllegalArgumentException("'" + text.strip() + "' is not a duration: use e.g. 90s, 30m or 1h");
    }
    Duration d = Duration.ZERO;
    if (m.group(1) != null) d = d.plusHours(Long.parseLong(m.group(1)));
    if (m.group(2) != null) d = d.plusMinutes(Long.parseLong(m.group(2)));
    if (m.group(3) != null) d = d.plusSeconds(Long.parseLong(m.group(3)));
    if (d.compareTo(MIN) < 0 || d.compareTo(MAX) > 0) {
      throw new IllegalArgumentException("'" + text.strip() + "' is out of range: a build timeout is"
          + " between 1s and 2h");
    }
    return d;
  }
}
