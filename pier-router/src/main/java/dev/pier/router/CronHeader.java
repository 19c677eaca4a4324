package dev.pier.router;

import io.netty.handler.codec.http.HttpHeaders;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Keeps {@code X-Pier-Cron: true} trustworthy: the router removes {@code X-Pier-Cron} and {@code
 * X-Pier-Cron-Key} from every client request, and sets {@code X-Pier-Cron: true} only on a request
 * that carried this router's key, a random value made at each start that only the Pier server
 * holds (its scheduler sends URL jobs through the router with it).
 */
public final class CronHeader {
  /** The header an app reads to know a request is Pier's scheduled job. */
  public static final String CRON = "X-Pier-Cron";

  /** The header carrying the key; never passed on to an app. */
  public static final String KEY = "X-Pier-Cron-Key";

  private final String key;

  CronHeader() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    this.key = HexFormat.of().formatHex(bytes);
  }

  /** The key the scheduler sends in {@link #KEY}. */
  public String key() {
    return key;
  }

  /** Strips both headers from a request and sets {@code X-Pier-Cron: true} when it carried the key. */
  void admit(HttpHeaders headers) {
    String given = headers.get(KEY);
    boolean trusted = given != null && MessageDigest.isEqual(
        given.strip().getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8));
    headers.remove(KEY);
    headers.remove(CRON);
    // Spellings with underscores reach CGI-style apps (HTTP_X_PIER_CRON) as the same variable.
    // Looked for without allocating: this runs for every request.
    java.util.List<String> forged = null;
    var names = headers.iteratorCharSequence();
    while (names.hasNext()) {
      CharSequence name = names.next().getKey();
      if ((name.length() == CRON.length() || name.length() == KEY.length()) && underscoreSpelling(name)) {
        if (forged == null) forged = new java.util.ArrayList<>();
        forged.add(name.toString());
      }
    }
    if (forged != null) forged.forEach(headers::remove);
    if (trusted) headers.set(CRON, "true");
  }

  /** True for {@code X_Pier_Cron}-like names: CRON or KEY with some '-' written as '_'. */
  private static boolean underscoreSpelling(CharSequence name) {
    String target = name.length() == CRON.length() ? CRON : KEY;
    boolean underscore = false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      char t = target.charAt(i);
      if (c == '_' && t == '-') {
        underscore = true;
      } else if (Character.toLowerCase(c) != Character.toLowerCase(t)) {
        return false;
      }
    }
    return underscore;
  }
}
