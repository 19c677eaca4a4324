package dev.pier.routersettings;

import java.util.Locale;

/**
 * One router limit as users name and set it: per app ({@link #perApp()}) or router-wide (set by
 * the operator, shown read-only). Values are milliseconds for {@link Kind#DURATION} and bytes for
 * {@link Kind#BYTES}, within {@link #min()} and {@link #max()}.
 */
public enum RouterSetting {
  REQUEST_TIMEOUT("request-timeout", Kind.DURATION, true, 1_000, 3_600_000,
      "How long the app may take to its first response byte (504 response_timeout after)."),
  MAX_BODY("max-body", Kind.BYTES, true, 1024, 100L << 30,
      "Largest request body (413 body_too_large above it); none by default."),
  IDLE_TIMEOUT("idle-timeout", Kind.DURATION, true, 1_000, 3_600_000,
      "How long a kept-alive client connection may sit idle between requests."),
  TUNNEL_IDLE_TIMEOUT("tunnel-idle-timeout", Kind.DURATION, true, 1_000, 86_400_000,
      "How long a WebSocket may carry no byte either way before the router closes it."),
  HEADER_TIMEOUT("header-timeout", Kind.DURATION, false, 0, 0,
      "How long a request line and headers may take to arrive (408 head_timeout after)."),
  MAX_HEADER_SIZE("max-header-size", Kind.BYTES, false, 0, 0,
      "Largest request header block (431 headers_too_large above it)."),
  MAX_REQUEST_LINE("max-request-line", Kind.BYTES, false, 0, 0,
      "Longest request line (414 uri_too_long above it).");

  /** How a setting's value is written. */
  public enum Kind { DURATION, BYTES }

  private final String key;
  private final Kind kind;
  private final boolean perApp;
  private final long min;
  private final long max;
  private final String description;

  RouterSetting(String key, Kind kind, boolean perApp, long min, long max, String description) {
    this.key = key;
    this.kind = kind;
    this.perApp = perApp;
    this.min = min;
    this.max = max;
    this.description = description;
  }

  /** The name users write, for example {@code request-timeout}. */
  public String key() {
    return key;
  }

  public Kind kind() {
    return kind;
  }

  /**
   * Whether an app may set it. The others apply before the router has read the Host header, so
   * they can only be router-wide.
   */
  public boolean perApp() {
    return perApp;
  }

  public long min() {
    return min;
  }

  public long max() {
    return max;
  }

  public String description() {
    return description;
  }

  /** The setting named {@code key} (case-insensitive), or null. */
  public static RouterSetting byKey(String key) {
    String k = key.trim().toLowerCase(Locale.ROOT);
    for (RouterSetting s : values()) {
      if (s.key.equals(k)) return s;
    }
    return null;
  }

  /** Formats a value of this setting, for example {@code 30s} or {@code 50MB}. */
  public String format(long value) {
    return kind == Kind.DURATION ? SettingValues.formatMillis(value) : SettingValues.formatBytes(value);
  }

  /** The allowed range, for example {@code 1s to 1h}. */
  public String range() {
    return format(min) + " to " + format(max);
  }
}
