package dev.pier.api;

import dev.pier.build.BuildOutput;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A long operation's progress as NDJSON: {@code {"type":"output","line":...}} per line, flushed
 * one by one, then one {@code {"type":"result",...}}. A client that goes away does not stop the
 * operation.
 */
final class NdjsonStream implements BuildOutput {
  private final OutputStream out;
  private final BuildOutput lines = BuildOutput.lines(this::line);
  private boolean gone;

  private NdjsonStream(OutputStream out) {
    this.out = out;
  }

  /** Starts a 200 NDJSON response. */
  static NdjsonStream open(HttpServletResponse response) throws IOException {
    response.setStatus(200);
    response.setContentType("application/x-ndjson");
    return new NdjsonStream(response.getOutputStream());
  }

  @Override
  public void step(String text) {
    lines.step(text);
  }

  @Override
  public void info(String text) {
    lines.info(text);
  }

  @Override
  public void warn(String text) {
    lines.warn(text);
  }

  void succeeded(Map<String, Object> fields) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "result");
    m.put("status", "succeeded");
    m.putAll(fields);
    emit(m);
  }

  void failed(String error) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "result");
    m.put("status", "failed");
    m.put("error", error);
    emit(m);
  }

  private void line(String text) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "output");
    m.put("line", text);
    emit(m);
  }

  private synchronized void emit(Map<String, Object> value) {
    if (gone) return;
    try {
      out.write(Json.MAPPER.writeValueAsBytes(value));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      gone = true;
    }
  }
}
