package dev.pier.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/**
 * Builds the query part of an API path: {@code ?q=a%20b&limit=100}. Values are percent-encoded
 * (spaces as {@code %20}, never {@code +}); parameters whose value is null are left out.
 */
final class QueryString {
  private final StringJoiner parts = new StringJoiner("&", "?", "").setEmptyValue("");

  /** Adds {@code name=value} unless {@code value} is null; returns this builder. */
  QueryString add(String name, Object value) {
    if (value != null) {
      parts.add(name + "=" + encode(value.toString()));
    }
    return this;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Returns {@code "?a=1&b=2"}, or {@code ""} when no parameter was added. */
  @Override
  public String toString() {
    return parts.toString();
  }
}
