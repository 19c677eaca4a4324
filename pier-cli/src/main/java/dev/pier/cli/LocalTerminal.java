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

  /**
   * The size of the terminal this run's stdin and stdout are, as {@code {columns, rows}} ({@code
   * {0, 0}} when it cannot say), or null when they are not the process's own or not both a
   * terminal. One {@code sh} checks and measures: every process started costs the prompt time.
   */
  static int[] detect(CliContext context) {
    if (context.in() != System.in || context.out() != System.out) return null;
    try {
      // stdin and stdout inherited, to test them; the size comes back on stderr.
      Process test = new ProcessBuilder("sh", "-c", "test -t 0 && test -t 1 && { stty size < /dev/tty >&2 || true; }")
          .redirectInput(ProcessBuilder.Redirect.INHERIT)
          .redirectOutput(ProcessBuilder.Redirect.INHERIT)
          .start();
      String size = new String(test.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!test.waitFor(5, TimeUnit.SECONDS) || test.exitValue() != 0) return null;
      return parseSize(size);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * Puts the terminal in raw mode without echo: every key goes to the remote side as typed
   * (Ctrl-C, Ctrl-D included), which echoes and interprets it. Closing restores the terminal; so
   * does the JVM's exit.
   */
  static LocalTerminal raw() {
    String saved = sh("stty -g < /dev/tty && stty raw -echo < /dev/tty").strip();
    return new LocalTerminal(saved);
  }

  /** {@code {columns, rows}} of the terminal, or {@code {0, 0}} when it cannot say. */
  static int[] size() {
    try {
      return parseSize(stty("size"));
    } catch (RuntimeException e) {
      return new int[] {0, 0};
    }
  }

  /** {@code "40 120"} (rows, columns, as stty prints them) as {@code {120, 40}}. */
  static int[] parseSize(String rowsColumns) {
    try {
      String[] parts = rowsColumns.strip().split("\\s+");
      return new int[] {Integer.parseInt(parts[1]), Integer.parseInt(parts[0])};
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
    return sh("stty " + String.join(" ", args) + " < /dev/tty");
  }

  /** Runs {@code script} with sh; returns its output; fails unless it exits 0. */
  private static String sh(String script) {
    try {
      Process p = new ProcessBuilder("sh", "-c", script)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new CliException("`" + script + "` failed on this terminal");
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
