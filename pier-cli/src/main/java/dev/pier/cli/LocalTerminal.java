package dev.pier.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The user's own terminal, through {@code stty} on {@code /dev/tty}: whether {@code pier} runs on
 * one, raw mode while attached to a remote one, its size, and size changes (SIGWINCH).
 */
final class LocalTerminal implements AutoCloseable {
  private final String saved;
  private final Thread restoreAtExit;

  private LocalTerminal(String saved) {
    this.saved = saved;
    this.restoreAtExit = new Thread(this::restore, "pier-restore-terminal");
    Runtime.getRuntime().addShutdownHook(restoreAtExit);
  }

  /** True when this run's stdin and stdout are the process's own and both are a terminal. */
  static boolean available(CliContext context) {
    if (context.in() != System.in || context.out() != System.out) return false;
    try {
      Process test = new ProcessBuilder("sh", "-c", "test -t 0 && test -t 1")
          .redirectInput(ProcessBuilder.Redirect.INHERIT)
          .redirectOutput(ProcessBuilder.Redirect.INHERIT)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      return test.waitFor(5, TimeUnit.SECONDS) && test.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Puts the terminal in raw mode without echo: every key goes to the remote side as typed
   * (Ctrl-C, Ctrl-D included), which echoes and interprets it. Closing restores the terminal; so
   * does the JVM's exit.
   */
  static LocalTerminal raw() {
    String saved = stty("-g").strip();
    stty("raw", "-echo");
    return new LocalTerminal(saved);
  }

  /** {@code {columns, rows}} of the terminal, or {@code {0, 0}} when it cannot say. */
  static int[] size() {
    try {
      String[] rowsCols = stty("size").strip().split("\\s+");
      return new int[] {Integer.parseInt(rowsCols[1]), Integer.parseInt(rowsCols[0])};
    } catch (RuntimeException e) {
      return new int[] {0, 0};
    }
  }

  /** Calls {@code onChange} whenever the terminal's size changes (SIGWINCH). */
  @SuppressWarnings("restriction")
  static void onResize(Runnable onChange) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), signal -> onChange.run());
    } catch (IllegalArgumentException e) {
      // No SIGWINCH on this platform: the remote size stays as it started.
    }
  }

  private void restore() {
    try {
      stty(saved);
    } catch (RuntimeException e) {
      // The terminal is gone: nothing to restore.
    }
  }

  @Override
  public void close() {
    restore();
    try {
      Runtime.getRuntime().removeShutdownHook(restoreAtExit);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook runs anyway.
    }
  }

  private static String stty(String... args) {
    StringBuilder command = new StringBuilder("stty");
    for (String arg : args) command.append(' ').append(arg);
    command.append(" < /dev/tty");
    try {
      Process p = new ProcessBuilder("sh", "-c", command.toString())
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new CliException("stty " + String.join(" ", args) + " failed on this terminal");
      }
      return out;
    } catch (IOException e) {
      throw new CliException("Cannot run stty: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("Interrupted while setting up the terminal");
    }
  }
}
