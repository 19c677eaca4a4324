package dev.pier.previews;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The host label of a branch's preview ({@code feature-x} in {@code feature-x.APP.DOMAIN}): the
 * branch in lowercase, every run of characters other than {@code [a-z0-9]} made one {@code -},
 * trimmed of dashes. A label that would be too long (over 63), empty, a version host
 * ({@code v12}), or already another branch's gets a dash and 6 hex digits of the branch's SHA-256
 * instead, cut so the whole stays within 63 (another hash when that is taken too).
 */
public final class PreviewLabel {
  /** Longest DNS label. */
  public static final int MAX = 63;

  private static final Pattern VERSION_HOST = Pattern.compile("v[0-9]+");
  private static final int HASH_CHARS = 6;

  private PreviewLabel() {}

  /** The branch made host-safe, before any suffix: may be empty, reserved or too long. */
  static String normalise(String branch) {
    String lower = branch.toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(lower.length());
    boolean dash = false;
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        out.append(c);
        dash = false;
      } else if (!dash) {
        out.append('-');
        dash = true;
      }
    }
    return trimDashes(out.toString());
  }

  /**
   * The label for {@code branch} given the labels {@code taken} by the app's other previews. When
   * even the hashed label is taken (another branch can be named so), the hash of the branch with
   * a counter is tried next, until one is free.
   */
  public static String of(String branch, Set<String> taken) {
    String plain = normalise(branch);
    boolean usable = !plain.isEmpty() && plain.length() <= MAX && !VERSION_HOST.matcher(plain).matches();
    if (usable && !taken.contains(plain)) return plain;
    String base = plain.isEmpty() ? "branch" : plain;
    base = trimDashes(base.substring(0, Math.min(base.length(), MAX - HASH_CHARS - 1)));
    for (int n = 0; ; n++) {
      String hashed = base + "-" + hash(n == 0 ? branch : branch + "#" + n);
      if (!taken.contains(hashed)) return hashed;
    }
  }

  private static String trimDashes(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '-') start++;
    while (end > start && s.charAt(end - 1) == '-') end--;
    return s.substring(start, end);
  }

  private static String hash(String branch) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(branch.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
