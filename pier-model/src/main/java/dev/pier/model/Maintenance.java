package dev.pier.model;

import java.util.Objects;

/**
 * An app in maintenance mode as the router sees it: every request for the app (any version, any
 * version URL) is answered {@code 503} with {@code page} and a {@code Retry-After} header, and
 * none reaches an instance.
 *
 * @param page the HTML page answered (the app's own {@code maintenance.html}, or the built-in one)
 * @param retryAfterSeconds the {@code Retry-After} value, at least 1
 */
public record Maintenance(String page, int retryAfterSeconds) {
  /** The {@code Retry-After} the platform answers with. */
  public static final int DEFAULT_RETRY_AFTER_SECONDS = 120;

  public Maintenance {
    Objects.requireNonNull(page, "page");
    if (retryAfterSeconds < 1) throw new IllegalArgumentException("retryAfterSeconds < 1");
  }

  /** The built-in page for {@code app}, used when its release has no {@code maintenance.html}. */
  public static Maintenance builtIn(String app) {
    String title = "Offline for maintenance";
    String html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title
        + "</title></head>\n<body><h1>" + title + "</h1>\n<p>" + escape(app)
        + " is offline for maintenance and will be back shortly.</p></body></html>\n";
    return new Maintenance(html, DEFAULT_RETRY_AFTER_SECONDS);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
