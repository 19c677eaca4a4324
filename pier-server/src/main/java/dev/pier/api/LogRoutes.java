package dev.pier.api;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.logs.LogBus;
import dev.pier.logs.LogLine;
import dev.pier.server.PlatformException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /apps/APP/logs}: recent lines, and with {@code tail=true} a live stream. */
final class LogRoutes {
  private final AppService apps;
  private final LogBus logs;

  LogRoutes(AppService apps, LogBus logs) {
    this.apps = apps;
    this.logs = logs;
  }

  void register(ApiServlet api) {
    api.on("GET", AppRoutes.APP + "/logs", ex -> {
      App app = apps.get(ex.param(1));
      int lines = ex.queryInt("lines", 100, 0, 1500);
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
      // Subscribe before reading the backlog so no line falls between the two.
      try (LogBus.Subscription live = tail ? logs.subscribe(name) : null) {
        var backlog = logs.recent(name, lines);
        for (LogLine line : backlog) write(out, line, json);
        out.flush();
        if (!tail) return;
        java.time.Instant last = backlog.isEmpty() ? null : backlog.getLast().time();
        while (true) {
          LogLine line = live.poll(15_000);
          long dropped = live.takeDropped();
          if (dropped > 0) {
            write(out, new LogLine(java.time.Instant.now(), name, "pier", "logs",
                dropped + " lines dropped: this reader was too slow"), json);
          }
          if (line == null) {
            out.flush(); // detects a client that went away
            continue;
          }
          if (last != null && !line.time().isAfter(last) && backlog.contains(line)) continue;
          write(out, line, json);
          out.flush();
        }
      } catch (IOException clientGone) {
        // the reader disconnected
      }
    });
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
