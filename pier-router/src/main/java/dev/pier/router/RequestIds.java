package dev.pier.router;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Chooses the {@code X-Request-Id} of a request: the client's if it looks sane, else a UUID. */
final class RequestIds {
  /** 20 to 200 characters of letters, digits, '+', '/', '=' and '-' (Heroku's rule). */
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9+/=-]{20,200}");

  private RequestIds() {}

  /** Returns {@code incoming} if valid, otherwise a fresh random UUID. */
  static String keepOrGenerate(String incoming) {
    if (incoming != null && VALID.matcher(incoming).matches()) return incoming;
    return random().toString();
  }

  /**
   * A version 4 (random) UUID from the event loop's {@link ThreadLocalRandom}: a request id needs
   * to be unique, not secret, and {@link UUID#randomUUID()} takes the JDK's shared {@code
   * SecureRandom} lock on every request (event loops then wait for each other).
   */
  static UUID random() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L; // version 4
    long lsb = (r.nextLong() & ~(3L << 62)) | (1L << 63); // IETF variant
    return new UUID(msb, lsb);
  }
}
