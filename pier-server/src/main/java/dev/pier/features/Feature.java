package dev.pier.features;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A feature an app may switch on, by its name on the wire ({@code https-only}). */
public enum Feature {
  HTTPS_ONLY("https-only", "Redirects plain-HTTP requests to HTTPS (308, path and query kept);"
      + " ACME challenges excepted."),
  HSTS("hsts", "Sends Strict-Transport-Security: max-age=31536000 on HTTPS responses.");

  private final String key;
  private final String description;

  Feature(String key, String description) {
    this.key = key;
    this.description = description;
  }

  public String key() {
    return key;
  }

  /** One line saying what the feature does when on. */
  public String description() {
    return description;
  }

  /** The feature named {@code key} (any case, surrounding blanks ignored), or null. */
  public static Feature byKey(String key) {
    if (key == null) return null;
    String k = key.trim().toLowerCase(Locale.ROOT);
    for (Feature f : values()) {
      if (f.key.equals(k)) return f;
    }
    return null;
  }

  /** Every feature's name, in order. */
  public static List<String> keys() {
    return Arrays.stream(values()).map(Feature::key).toList();
  }
}
