package dev.pier.runtime.local;

import dev.pier.runtime.Attachment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The streams of one interactive task run, handed to at most one client. The supervisor fills it
 * in: {@link #spawned} when the process runs, {@link #exited} when it ended, {@link #failed} when
 * it never ran. Resizing goes through the host: {@code stty -F /proc/PID/fd/0} on a process of the
 * task whose stdin is the sandbox's pseudo-terminal, which sets the size and signals SIGWINCH to
 * the terminal's foreground process group (needs root or the task's own uid, as the backend has).
 */
final class LocalAttachment implements Attachment {
  private static final Duration STTY_TIMEOUT = Duration.ofSeconds(5);

  private final CompletableFuture<InstanceProcesses> spawned = new CompletableFuture<>();
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private final AtomicBoolean taken = new AtomicBoolean();
  private final boolean tty;

  LocalAttachment(boolean tty) {
    this.tty = tty;
  }

  void spawned(InstanceProcesses processes) {
    spawned.complete(processes);
  }

  void exited(int status) {
    exit.complete(status);
  }

  /** The process never ran (or the supervisor gave up): attach fails, exit completes exceptionally. */
  void failed(String why) {
    IllegalStateException e = new IllegalStateException(why);
    spawned.completeExceptionally(e);
    exit.completeExceptionally(e);
  }

  /** Hands this attachment to its one client, once the process runs (within {@code timeout}). */
  LocalAttachment take(Duration timeout) {
    if (!taken.compareAndSet(false, true)) throw new IllegalStateException("already attached");
    try {
      spawned.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      taken.set(false);
      throw new IllegalStateException("interrupted while waiting for the process to start");
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage());
    } catch (TimeoutException e) {
      taken.set(false); // the client may try again while the process is still starting
      throw new IllegalStateException("the process did not start within " + timeout.toSeconds() + " s");
    }
    return this;
  }

  private InstanceProcesses processes() {
    return spawned.join();
  }

  @Override
  public OutputStream input() {
    return processes().root().getOutputStream();
  }

  @Override
  public InputStream output() {
    return processes().root().getInputStream();
  }

  @Override
  public void resize(int columns, int rows) throws IOException {
    if (!tty || columns <= 0 || rows <= 0 || columns > 10_000 || rows > 10_000) return;
    for (long pid : processes().pids()) {
      Path stdin = Path.of("/proc", Long.toString(pid), "fd", "0");
      String target;
      try {
        target = Files.readSymbolicLink(stdin).toString();
      } catch (IOException e) {
        continue; // gone, or not ours to look at
      }
      if (!target.startsWith("/dev/pts/")) continue;
      Process stty = new ProcessBuilder("stty", "-F", stdin.toString(), "rows", Integer.toString(rows),
              "cols", Integer.toString(columns))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      try {
        if (!stty.waitFor(STTY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) stty.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
  }

  @Override
  public CompletableFuture<Integer> exit() {
    return exit;
  }

  @Override
  public void close() {
    if (!spawned.isDone() || spawned.isCompletedExceptionally()) return;
    Process root = processes().root();
    try {
      root.getOutputStream().close();
    } catch (IOException e) {
      // Already closed: the process is gone.
    }
    try {
      root.getInputStream().close();
    } catch (IOException e) {
      // Already closed.
    }
  }
}
