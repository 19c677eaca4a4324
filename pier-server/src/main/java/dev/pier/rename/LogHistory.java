package dev.pier.rename;

import dev.pier.model.LogLine;
import dev.pier.logstore.LogQuery;
import dev.pier.logstore.LogStore;
import dev.pier.model.AppName;
import java.util.List;

/**
 * A renamed app's log history: its newest {@value LogQuery#MAX_LIMIT} stored lines are stored
 * again under the new name (with their times) and its retention setting moves; every line under
 * the old name is then deleted, so an app created later with that name starts with no history.
 * Older lines are not kept: the store indexes lines by app and cannot re-key them in place.
 */
public final class LogHistory {
  private LogHistory() {}

  public static void move(LogStore store, AppName from, AppName to) {
    store.flush();
    List<LogLine> recent = store.recent(from.value(), LogQuery.MAX_LIMIT);
    if (recent.isEmpty()) return; // moved already (a rename finished at start runs this again)
    for (LogLine line : recent) {
      store.append(new LogLine(line.time(), to.value(), line.source(), line.process(), line.text()));
    }
    java.time.Duration keep = store.retention(from.value());
    store.deleteApp(from.value());
    store.retention(to.value(), keep);
    store.flush();
  }
}
