package dev.pier.api;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.logs.LogBus;
import dev.pier.logstore.LogStore;
import dev.pier.model.LogLine;
import dev.pier.server.PlatformException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /apps/APP/logs}: recent lines, and with {@code tail=true} a live stream. */
final class LogRoutes {
  private final AppService apps;
  private final LogBus logs;
  private final LogStore store;

  LogRoutes(AppService apps, LogBus logs, LogStore store) {
    this.apps = apps;
    this.logs = logs;
    this.store = store;
  }

  /**
   * The newest {@code n} lines, oldest first: the in-memory buffer, completed from the durable
   * store when it holds fewer (after a restart, or beyond its 1500 lines).
   */
  private List<LogLine> recent(String app, int n) {
    List<LogLine> live = logs.recent(app, n);
    if (live.size() >= n) return live;
    Instant firstLive = live.isEmpty() ? null : live.getFirst().time();
    List<LogLine> merged = new ArrayList<>();
    for (LogLine line : store.recent(app, n)) {
      if (firstLive == null || line.time().isBefore(firstLive)) merged.add(line);
    }
    merged.addAll(live);
    return merged.subList(Math.max(0, merged.size() - n), merged.size());
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
      ex.response.setStatus(200);
      ex.response.setContentType(json ? "application/x-ndjson" : "text/plain; charset=utf-8");
      OutputStream out = ex.response.getOutputStream();
      String name = app.name().value();
      try {
        follow(name, lines, tail, new Reader() {
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
   */
  private void follow(String app, int lines, boolean tail, Reader reader)
      throws IOException, InterruptedException {
    try (LogBus.Subscription live = tail ? logs.subscribe(app) : null) {
      List<LogLine> backlog = recent(app, lines);
      for (LogLine line : backlog) reader.line(line);
      reader.flush();
      if (!tail) return;
      Instant last = backlog.isEmpty() ? null : backlog.getLast().time();
      while (true) {
        LogLine line = live.poll(15_000);
        long dropped = live.takeDropped();
        if (dropped > 0) {
          reader.line(new LogLine(Instant.now(), app, "pier", "logs",
              dropped + " lines dropped: this reader was too slow"));
        }
        boolean seen = line != null && last != null && !line.time().isAfter(last) && backlog.contains(line);
        if (line != null && !seen) reader.line(line);
        reader.flush(); // also detects a reader that went away
      }
    }
  }

  /** Server-Sent Events: the last lines, then new ones as they come; a comment every 15 s. */
  private void stream(Exchange ex) throws IOException, InterruptedException {
    App app = apps.get(ex.param(1));
    int lines = ex.queryInt("lines", 10, 0, 1500);
    String name = app.name().value();
    ex.response.setStatus(200);
    ex.response.setContentType("text/event-stream; charset=utf-8");
    ex.response.setHeader("Cache-Control", "no-cache");
    ex.response.setHeader("X-Accel-Buffering", "no");
    OutputStream out = ex.response.getOutputStream();
    try {
      follow(name, lines, true, new Reader() {
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
