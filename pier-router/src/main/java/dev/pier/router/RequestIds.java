package dev.pier.router;

import java.util.UUID;
import java.util.regex.Pattern;

/** Chooses the {@code X-Request-Id} of a request: the client's if it looks sane, else a UUID. */
final class RequestIds {
  /** 20 to 200 characters of letters, digits, '+', '/', '=' and '-' (Heroku's rule). */
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9+/=-]{20,200}");

  private RequestIds() {}

  /** Returns {@code incoming} if valid, otherwise a fresh random UUID. */
  static String keepOrGenerate(String incoming) {
    if (incoming != null && VALID.matcher(incoming).matches()) return incoming;
    return UUID.randomUUID().toString();
  }
}
