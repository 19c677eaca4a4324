package dev.pier.build;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where a build reports progress, Heroku style. Implementations forward each rendered line to the
 * git client (as {@code remote:} lines) or an HTTP stream, flushing each one: lines arrive while
 * commands run, not at the end.
 *
 * <p>Calls come from one thread at a time, but not always the same thread (command output is read
 * by a helper thread). Implementations should not block for long and must not throw.
 */
public interface BuildOutput {
  /** Discards everything. */
  BuildOutput NONE = lines(line -> {});

  /** A build step, rendered {@code "-----> text"}. */
  void step(String text);

  /** Detail of the current step (including command output), rendered {@code "       text"}. */
  void info(String text);

  /** A problem the developer should read, rendered {@code " !     text"}. */
  void warn(String text);

  /**
   * Renders each call into Heroku-style lines handed to {@code sink}; multi-line text becomes one
   * prefixed line per line.
   */
  static BuildOutput lines(Consumer<String> sink) {
    Objects.requireNonNull(sink, "sink");
    return new BuildOutput() {
      @Override
      public void step(String text) {
        emit("-----> ", text);
      }

      @Override
      public void info(String text) {
        emit("       ", text);
      }

      @Override
      public void warn(String text) {
        emit(" !     ", text);
      }

      private void emit(String prefix, String text) {
        for (String line : String.valueOf(text).split("\r?\n", -1)) sink.accept(prefix + line);
      }
    };
  }

  /** Renders into {@code into} (synchronized on it), for tests. */
  static BuildOutput collecting(List<String> into) {
    return lines(
        line -> {
          synchronized (into) {
            into.add(line);
          }
        });
  }
}
