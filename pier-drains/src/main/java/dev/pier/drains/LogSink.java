package dev.pier.drains;

import dev.pier.model.LogLine;

/**
 * One destination for an app's log lines.
 *
 * <p>Contract: {@link #accept} never blocks and never throws, whatever state the destination is
 * in; it may be called from any thread, including a router event loop. Lines accepted from one
 * thread are delivered in the order they were accepted. A sink that cannot keep up drops lines
 * rather than slowing the caller.
 */
public interface LogSink extends AutoCloseable {
  /** A sink that discards every line. */
  LogSink NONE = new LogSink() {
    @Override
    public void accept(LogLine line) {}

    @Override
    public void close() {}

    @Override
    public String toString() {
      return "LogSink.NONE";
    }
  };

  /** Hands one line to the sink. Never blocks, never throws; a null line is ignored. */
  void accept(LogLine line);

  /** Stops the sink, waiting a bounded time at most. Later {@link #accept} calls do nothing. */
  @Override
  void close();
}
