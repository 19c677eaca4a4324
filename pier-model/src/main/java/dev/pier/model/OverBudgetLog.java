package dev.pier.model;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Logs, once per handler pattern, that matching it went over {@link BoundedRegex#MAX_READS}. */
final class OverBudgetLog {
  private static final System.Logger LOG = System.getLogger(OverBudgetLog.class.getName());
  private static final int MAX_REMEMBERED = 1024;
  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

  private OverBudgetLog() {}

  static void once(StaticHandler handler, String what) {
    String key = what + " " + (what.equals("upload") ? handler.upload().pattern() : handler.url().pattern());
    if (LOGGED.size() >= MAX_REMEMBERED) LOGGED.clear();
    if (LOGGED.add(key)) {
      LOG.log(System.Logger.Level.WARNING, "app.yaml handler " + handler.urlText() + ": its " + what
          + " regular expression took too long to match; treated as no match (request goes to the app)");
    }
  }
}
