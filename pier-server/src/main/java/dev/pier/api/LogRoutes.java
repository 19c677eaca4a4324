package dev.pier.api;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.logs.LogBus;
import dev.pier.logstore.LogStore;
import dev.pier.model.LogLine;
import dev.pier.errors.PlatformException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code /apps/APP/logs}: recent lines, and with {@code tail=true} a live stream. */
final class LogRoutes {
  /** Lines written to a follower between flushes, at most, when many come at once. */
  private static final int FLUSH_EVERY = 256;
  /** A follower gets a flush (an SSE comment when nothing was written) at least this often. */
  private static final long KEEP_ALIVE_MILLIS = 15_000;
  private final AppService apps;
  private final LogBus logs;
  private final LogStore store;

  LogRoutes(AppService apps, LogBus logs, LogStore store) {
    this.apps = apps;
    this.logs = logs;
    this.store = store;
  }

  /**
   * The newest {@code n} lines that pass {@code filter}, oldest first: the in-memory buffer,
   * completed from the durable store when it holds fewer (after a restart, beyond its 1500 lines,
   * or when a filter leaves few of them).
   */
  private List<LogLine> recent(String app, int n, LogFilter filter) {
    if (n == 0) return List.of();
    List<LogLine> live = filter.all() ? logs.recent(app, n) : newest(logs.recent(app, logs.capacity()), filter, n);
    if (live.size() >= n) return live;
    Instant firstLive = live.isEmpty() ? null : live.getFirst().time();
    List<LogLine> stored = filter.all() ? store.recent(app, n) : storedMatching(app, n, filter);
    List<LogLine> merged = new ArrayList<>();
    for (LogLine line : stored) {
      if (firstLive == null || line.time().isBefore(firstLive)) merged.add(line);
    }
    merged.addAll(live);
    return merged.subList(Math.max(0, merged.size() - n), merged.size());
  }

  private List<LogLine> storedMatching(String app, int n, LogFilter filter) {
    List<LogLine> lines = new ArrayList<>(store.search(filter.query(app, n)));
    Collections.reverse(lines); // search gives newest first
    return newest(lines, filter, n);
  }

  /** The last {@code n} of {@code lines} that pass {@code filter}, in their order. */
  private static List<LogLine> newest(List<LogLine> lines, LogFilter filter, int n) {
    List<LogLine> kept = new ArrayList<>();
    for (LogLine line : lines) if (filter.test(line)) kept.add(line);
    return kept.subList(Math.max(0, kept.size() - n), kept.size());
  }

  void register(ApiServlet api) {
    api.on("GET", AppRoutes.APP + "/logs/stream", this::stream);
    api.on("GET", AppRoutes.APP + "/logs", ex -> {
      App app = apps.get(ex.param(1));
      int lines = ex.queryInt("lines", 100, 0, 10_000);
      boolean tail = Boolean.parseBoolean(ex.query("tail", "false"));
      String format = ex.query("format", "text");
      if (!format.equals("text") && !format.equals("json")) {
        throw PlatformException.badRequest("format must be text or json");
      }
      boolean json = format.equals("json");
      LogFilter filter = LogFilter.from(ex);
      ex.response.setStatus(200);
      ex.response.setContentType(json ? "application/x-ndjson" : "text/plain; charset=utf-8");
      OutputStream out = ex.response.getOutputStream();
      String name = app.name().value();
      try {
        follow(name, lines, tail, filter, new Reader() {
          @Override
          public void line(LogLine line) throws IOException {
            write(out, line, json);
          }

          @Override
          public void flush() throws IOException {
            out.flush();
          }
        });
      } catch (IOException clientGone) {
        // the reader disconnected
      }
    });
  }

  /** Where {@link #follow} sends lines; {@code flush} also runs every 15 s without lines. */
  private interface Reader {
    void line(LogLine line) throws IOException;

    void flush() throws IOException;
  }

  /**
   * Sends the newest {@code lines} lines, then (with {@code tail}) every new one until the reader
   * goes away (IOException). It subscribes before reading the backlog, so no line falls between
   * the two; a line in both is sent once. Lines a slow reader lost are announced in the stream.
   * Lines that come together are written together, with one flush.
   */
  private void follow(String app, int lines, boolean tail, LogFilter filter, Reader reader)
      throws IOException, InterruptedException {
    try (LogBus.Subscription live = tail ? logs.subscribe(app) : null) {
      List<LogLine> backlog = recent(app, lines, filter);
      for (LogLine line : backlog) reader.line(line);
      reader.flush();
      if (!tail) return;
      Instant last = backlog.isEmpty() ? null : backlog.getLast().time();
      long lastFlush = System.nanoTime();
      while (true) {
        LogLine line = live.poll(KEEP_ALIVE_MILLIS);
        boolean idle = line == null;
        boolean wrote = false;
        int batch = 0;
        while (line != null) {
          boolean seen = last != null && !line.time().isAfter(last) && backlog.contains(line);
          if (!seen && filter.test(line)) {
            reader.line(line);
            wrote = true;
          }
          if (++batch == FLUSH_EVERY) break;
          line = live.poll(0);
        }
        long dropped = live.takeDropped();
        if (dropped > 0) {
          reader.line(new LogLine(Instant.now(), app, "pier", "logs",
              dropped + " lines dropped: this reader was too slow"));
          wrote = true;
        }
        // Flushes what was written; else (nothing new, or only lines the filter hides) once per
        // keep-alive period, which also detects a reader that went away.
        long now = System.nanoTime();
        if (wrote || idle || now - lastFlush >= TimeUnit.MILLISECONDS.toNanos(KEEP_ALIVE_MILLIS)) {
          reader.flush();
          lastFlush = now;
        }
      }
    }
  }

  /** Server-Sent Events: the last lines, then new ones as they come; a comment every 15 s. */
  private void stream(Exchange ex) throws IOException, InterruptedException {
    App app = apps.get(ex.param(1));
    int lines = ex.queryInt("lines", 10, 0, 1500);
    String name = app.name().value();
    LogFilter filter = LogFilter.from(ex);
    ex.response.setStatus(200);
    ex.response.setContentType("text/event-stream; charset=utf-8");
    ex.response.setHeader("Cache-Control", "no-cache");
    ex.response.setHeader("X-Accel-Buffering", "no");
    OutputStream out = ex.response.getOutputStream();
    try {
      follow(name, lines, true, filter, new Reader() {
        private boolean sent;

        @Override
        public void line(LogLine line) throws IOException {
          event(out, line.format());
          sent = true;
        }

        @Override
        public void flush() throws IOException {
          if (!sent) out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
          sent = false;
          out.flush();
        }
      });
    } catch (IOException clientGone) {
      // the reader disconnected
    }
  }

  private static void event(OutputStream out, String data) throws IOException {
    String safe = data.replace("\r", "").replace("\n", "\ndata: ");
    out.write(("event: log\ndata: " + safe + "\n\n").getBytes(StandardCharsets.UTF_8));
  }

  private static void write(OutputStream out, LogLine line, boolean json) throws IOException {
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("time", line.time().toString());
      m.put("source", line.source());
      m.put("instance", line.process());
      m.put("text", line.text());
      out.write(Json.MAPPER.writeValueAsBytes(m));
      out.write('\n');
    } else {
      out.write((line.format() + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }
}
