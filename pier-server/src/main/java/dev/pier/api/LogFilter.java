package dev.pier.api;

import dev.pier.logstore.LogQuery;
import dev.pier.model.LogLine;
import dev.pier.errors.PlatformException;

/**
 * Which of an app's lines {@code pier logs} shows, as Heroku's {@code --source} and {@code --dyno}:
 * a kind ({@code app}, {@code router} or {@code platform}) and an instance, either exact
 * ({@code web.1}) or a process type standing for all its instances ({@code web}). Null means any.
 */
record LogFilter(String kind, String instance) {
  /** A process type ({@code web}, as {@code ProcessType} allows) or one instance ({@code web.1}). */
  private static final java.util.regex.Pattern INSTANCE =
      java.util.regex.Pattern.compile("[a-z][a-z0-9_-]{0,29}(\\.[1-9][0-9]{0,4})?");

  /**
   * Reads {@code source} and {@code dyno} (or {@code instance}) from the query string; used by
   * {@code /logs}, {@code /logs/stream} and {@code /logs/search} alike.
   */
  static LogFilter from(Exchange ex) {
    String kind = blankToNull(ex.query("source", null));
    String instance = blankToNull(ex.query("dyno", ex.query("instance", null)));
    if (kind != null && !kind.equals("app") && !kind.equals("router") && !kind.equals("platform")) {
      throw PlatformException.badRequest("source must be app, router or platform, not " + kind);
    }
    if (instance != null && !INSTANCE.matcher(instance).matches()) {
      throw PlatformException.badRequest(
          "dyno must be an instance such as web.1 or a process type such as web, not " + instance);
    }
    return new LogFilter(kind, instance);
  }

  boolean all() {
    return kind == null && instance == null;
  }

  boolean test(LogLine line) {
    if (kind != null && !kind.equals(line.kind())) return false;
    if (instance == null) return true;
    String process = line.process();
    if (instance.indexOf('.') >= 0) return instance.equals(process);
    return process.equals(instance) || (process.startsWith(instance) && process.length() > instance.length()
        && process.charAt(instance.length()) == '.');
  }

  /** The store query for the newest {@code n} matching lines (the store knows process types too). */
  LogQuery query(String app, int n) {
    return new LogQuery(app, "", null, kind, instance, n);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
