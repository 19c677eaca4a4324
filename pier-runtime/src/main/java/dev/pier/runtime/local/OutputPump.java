package dev.pier.runtime.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Reads an instance's output on a virtual thread and hands it on line by line. Lines longer than
 * {@link #MAX_LINE} characters are split, so a process writing without newlines cannot exhaust
 * memory. Invalid UTF-8 is replaced, never fatal.
 */
final class OutputPump {
  static final int MAX_LINE = 8192;

  private final Thread thread;

  private OutputPump(Thread thread) {
    this.thread = thread;
  }

  /**
   * Starts the reader on a platform thread: a read from a process pipe blocks its carrier, and
   * virtual threads blocked like that starved the server's request handling of carriers (seen
   * with two instances on a 2-core machine).
   */
  static OutputPump start(String name, InputStream in, Consumer<String> lines) {
    return new OutputPump(Thread.ofPlatform().daemon().name(name).start(() -> pump(in, lines)));
  }

  /** Waits for the stream to end (all writers closed it); gives up after {@code timeout}. */
  void join(Duration timeout) throws InterruptedException {
    thread.join(timeout);
  }

  private static void pump(InputStream in, Consumer<String> lines) {
    StringBuilder line = new StringBuilder();
    char[] buf = new char[4096];
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      int n;
      while ((n = reader.read(buf)) >= 0) {
        for (int i = 0; i < n; i++) {
          char c = buf[i];
          if (c == '\n') {
            emit(line, lines);
          } else {
            line.append(c);
            if (line.length() >= MAX_LINE) emit(line, lines);
          }
        }
      }
    } catch (IOException e) {
      // The stream was closed under us: the process is gone.
    }
    if (!line.isEmpty()) emit(line, lines);
  }

  private static void emit(StringBuilder line, Consumer<String> lines) {
    int end = line.length();
    if (end > 0 && line.charAt(end - 1) == '\r') end--;
    lines.accept(line.substring(0, end));
    line.setLength(0);
  }
}
