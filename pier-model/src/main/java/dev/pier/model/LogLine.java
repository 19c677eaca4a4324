package dev.pier.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One line of an app's log stream. {@code source} is {@code app} (the app's own output) or
 * {@code pier} (the platform: router, build, api, instance lifecycle); {@code process} says which
 * part: {@code web.1}, {@code router}, {@code build}, {@code api}.
 */
public record LogLine(Instant time, String app, String source, String process, String text) {
  /** The kind of line for filtering: {@code app}, {@code router} or {@code platform}. */
  public String kind() {
    if (source.equals("app")) return "app";
    return process.equals("router") ? "router" : "platform";
  }

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX").withZone(ZoneOffset.UTC);

  /** Heroku's log format: {@code 2026-11-27T05:31:00.123456Z app[web.1]: text}. */
  public String format() {
    return TIME.format(time) + " " + source + "[" + process + "]: " + text;
  }
}
