package dev.pier.logstore;

import dev.pier.model.LogLine;
import java.time.Instant;

/**
 * Generates realistic lines cheaply and deterministically: 60% app output, 30% router access
 * lines, 10% platform lines, spread over {@code apps} apps and four web instances, one
 * millisecond apart starting at {@code start}.
 */
final class SampleLines {
  private static final String[] PATHS = {"/", "/api/items", "/api/users", "/login", "/static/app.js", "/health"};
  private static final String[] METHODS = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};
  private static final int[] STATUS = {200, 200, 200, 200, 201, 204, 301, 404, 500};
  private static final String[] PLATFORM = {
    "State changed from starting to up",
    "Starting process with command `npm start`",
    "Stopping all processes with SIGTERM",
    "Process exited with status 0",
    "Scaled to web@2:Standard-1X",
  };

  private final Instant start;
  private final int apps;

  SampleLines(Instant start, int apps) {
    this.start = start;
    this.apps = apps;
  }

  static String app(int i) {
    return "app-" + i;
  }

  LogLine line(long i) {
    Instant time = start.plusMillis(i);
    String app = app((int) (i % apps));
    int r = (int) ((i * 2654435761L) >>> 8 & 0x7fffffff);
    String process = "web." + (1 + r % 4);
    int bucket = (r >>> 4) % 10;
    String path = PATHS[r % PATHS.length] + (r % 3 == 0 ? "/" + (r % 5000) : "");
    int status = STATUS[r % STATUS.length];
    if (bucket < 6) {
      String text =
          status == 500
              ? "Uncaught TypeError: Cannot read properties of undefined (reading 'id') at handler" + (r % 50)
              : METHODS[r % METHODS.length] + " " + path + " " + status + " " + (r % 900) + "." + (r % 1000)
                  + " ms - " + (r % 20000) + " user=u" + (r % 10000);
      return new LogLine(time, app, "app", process, text);
    }
    if (bucket < 9) {
      String text =
          "at=info method=" + METHODS[r % METHODS.length] + " path=\"" + path + "\" host=" + app
              + ".pier.local request_id=" + Long.toHexString(i * 0x9E3779B97F4A7C15L) + " fwd=\"127.0.0.1\" dyno="
              + process + " connect=" + (r % 5) + "ms service=" + (r % 300) + "ms status=" + status + " bytes="
              + (r % 40000) + " protocol=http";
      return new LogLine(time, app, "pier", "router", text);
    }
    return new LogLine(time, app, "pier", r % 2 == 0 ? "api" : process, PLATFORM[r % PLATFORM.length]);
  }

  /** Appends lines {@code from} (inclusive) to {@code to}, pacing so the queue never overflows. */
  void appendPaced(LogStore store, long from, long to) {
    for (long i = from; i < to; i++) {
      if ((i & 1023) == 0) {
        while (store.queued() > 20_000) java.util.concurrent.locks.LockSupport.parkNanos(200_000);
      }
      store.append(line(i));
    }
  }
}
