package dev.pier.metrics;

/**
 * Turns a request path into the route it belongs to, so that {@code /users/123} and {@code
 * /users/456} are counted together as {@code /users/:id}. Drops the query string and fragment, and
 * the scheme and authority of an absolute-form target. A segment becomes {@code :id} when it is
 * made of digits only, is a UUID, is at least 16 hex digits, or is at least 12 letters, digits,
 * dashes and underscores mixing letters and digits (tokens, slugs with dates, base62 ids). Routes
 * are cut at {@value #MAX_LENGTH} characters.
 *
 * <p>Allocates nothing when the path is already a route (the common case on the hot path).
 */
final class RouteNormalizer {
  static final int MAX_LENGTH = 200;
  static final String ID = ":id";

  private RouteNormalizer() {}

  static String normalize(String target) {
    if (target == null || target.isEmpty()) return "/";
    int end = target.length();
    int start = 0;
    if (target.charAt(0) != '/') {
      int scheme = target.indexOf("://");
      if (scheme > 0 && scheme < 10) {
        int slash = target.indexOf('/', scheme + 3);
        if (slash < 0) return "/";
        start = slash;
      }
    }
    for (int i = start; i < end; i++) {
      char c = target.charAt(i);
      if (c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    if (start == end) return "/";
    // One pass; a builder is only made at the first segment that changes.
    StringBuilder route = null;
    int segmentStart = start;
    for (int i = start; i <= end; i++) {
      if (i < end && target.charAt(i) != '/') continue;
      boolean id = i > segmentStart && isId(target, segmentStart, i);
      if (id && route == null) {
        route = new StringBuilder(Math.min(end - start, MAX_LENGTH) + 8);
        route.append(target, start, segmentStart);
      }
      if (route != null) {
        if (id) {
          route.append(ID);
        } else {
          route.append(target, segmentStart, i);
        }
        if (i < end) route.append('/');
        if (route.length() > MAX_LENGTH) break;
      }
      segmentStart = i + 1;
    }
    if (route == null) {
      if (start == 0 && end == target.length() && end <= MAX_LENGTH) return target;
      return target.substring(start, Math.min(end, start + MAX_LENGTH));
    }
    if (route.length() > MAX_LENGTH) route.setLength(MAX_LENGTH);
    return route.toString();
  }

  /** Whether {@code s[from, to)} (non-empty) looks like an identifier rather than a name. */
  static boolean isId(String s, int from, int to) {
    int length = to - from;
    if (length < 12) {
      // Short: only a number is an id. Most segments are short words and stop at their first char.
      for (int i = from; i < to; i++) {
        char c = s.charAt(i);
        if (c < '0' || c > '9') return false;
      }
      return true;
    }
    int digits = 0;
    int letters = 0;
    int hex = 0;
    int dashes = 0;
    boolean word = true; // letters, digits, '-' and '_' only
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
        hex++;
      } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        letters++;
        if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) hex++;
      } else if (c == '-') {
        dashes++;
      } else if (c != '_') {
        word = false;
      }
    }
    if (digits == length) return true;
    if (length == 36 && dashes == 4 && hex == 32 && isUuidShape(s, from)) return true;
    if (hex == length && length >= 16) return true;
    return word && length >= 12 && letters > 0 && digits > 0;
  }

  private static boolean isUuidShape(String s, int from) {
    return s.charAt(from + 8) == '-'
        && s.charAt(from + 13) == '-'
        && s.charAt(from + 18) == '-'
        && s.charAt(from + 23) == '-';
  }
}
