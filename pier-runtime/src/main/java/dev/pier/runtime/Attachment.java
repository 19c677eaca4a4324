package dev.pier.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * A client's connection to the streams of an {@link InstanceSpec#interactive() interactive} task.
 * There is at most one per task. Closing it only closes the streams: stopping the task is {@link
 * RuntimeBackend#stop}'s job (a client that goes away should call it).
 */
public interface Attachment extends AutoCloseable {
  /** The task's stdin; closing it is end of input (EOF for a pipe). */
  OutputStream input();

  /**
   * The task's output, stdout and stderr together (one stream on a terminal anyway); ends once
   * the task has ended.
   */
  InputStream output();

  /** Tells the task's terminal its new size (the foreground program gets SIGWINCH); no-op without one. */
  void resize(int columns, int rows) throws IOException;

  /**
   * Completes with the task's exit status once its process has ended: its command's, or 128 +
   * the signal when it was killed (143 after SIGTERM, 137 after SIGKILL).
   */
  CompletableFuture<Integer> exit();

  /** Closes both streams. Does not stop the task. */
  @Override
  void close();
}
