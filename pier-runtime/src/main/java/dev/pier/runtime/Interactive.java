package dev.pier.runtime;

/**
 * How a client attaches to a task ({@link RuntimeBackend#attach}): the task's stdin is written by
 * the client and its output (stdout and stderr together) read by it instead of going to the logs.
 *
 * @param tty true to run the command on a pseudo-terminal inside the sandbox (line editing,
 *     Ctrl-C as SIGINT, full-screen programs), as when the client's own terminal is one; false
 *     for plain pipes, where the end of the client's input is the end of the task's stdin
 * @param columns the terminal's width at start (ignored without tty)
 * @param rows the terminal's height at start (ignored without tty)
 */
public record Interactive(boolean tty, int columns, int rows) {
  public Interactive {
    if (columns < 0 || rows < 0 || columns > 10_000 || rows > 10_000) {
      throw new IllegalArgumentException("terminal size out of range: " + columns + "x" + rows);
    }
  }

  /** Plain pipes, no terminal. */
  public static Interactive pipes() {
    return new Interactive(false, 0, 0);
  }

  /** A pseudo-terminal of {@code columns} x {@code rows} (0 for the system default). */
  public static Interactive terminal(int columns, int rows) {
    return new Interactive(true, columns, rows);
  }
}
