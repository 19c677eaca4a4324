package dev.pier.runtime.local;

import dev.pier.sandbox.SandboxLaunch;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts processes from one long-lived platform thread. Sandboxed processes must not be started
 * from short-lived threads: a parent-death signal tied to the starting thread (bwrap's
 * {@code --die-with-parent}) would kill them when that thread ends.
 */
final class Spawner implements AutoCloseable {
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "pier-spawner");
            t.setDaemon(true);
            return t;
          });

  /**
   * Starts the process on the spawner thread and returns it. Waits uninterruptibly (restoring the
   * interrupt flag), so a started process is never lost to an interrupted caller.
   */
  Process spawn(SandboxLaunch launch) throws IOException {
    Future<Process> process = thread.submit(launch::start);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return process.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof IOException io) throw io;
          throw new IOException(e.getCause());
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    thread.shutdown();
  }
}
