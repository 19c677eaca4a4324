package dev.pier.build;

import dev.pier.sandbox.Cgroup;
import dev.pier.sandbox.Sandbox;
import dev.pier.sandbox.SandboxSpec;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs one command through the sandbox, handing each line of its merged stdout and stderr to a
 * consumer as soon as it is complete, and kills all its processes when it outlives its timeout:
 * everything in its cgroup when it has one, else its process tree.
 */
final class SandboxedCommand {
  /** Longer lines are handed over in pieces of this many characters. */
  static final int MAX_LINE = 4096;

  private static final Duration DRAIN_GRACE = Duration.ofSeconds(5);

  /** Thrown when the command ran out of time; its processes have been killed. */
  static final class TimedOut extends Exception {
    TimedOut() {
      super(null, null, false, false);
    }
  }

  private final Sandbox sandbox;

  SandboxedCommand(Sandbox sandbox) {
    this.sandbox = sandbox;
  }

  /**
   * Runs {@code spec} and returns its exit code.
   *
   * @param cgroup the cgroup {@code spec} joins, or null when there is none
   * @throws TimedOut if it ran longer than {@code timeout}; its processes are gone by then
   * @throws InterruptedException if this thread was interrupted; its processes are gone by then
   */
  int run(SandboxSpec spec, Cgroup cgroup, Duration timeout, Consumer<String> lines)
      throws IOException, TimedOut, InterruptedException {
    var launch = sandbox.launch(spec);
    launch.builder()
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process process = launch.start();
    Thread reader =
        Thread.ofVirtual()
            .name("build-output-" + process.pid())
            .start(() -> pump(process.getInputStream(), lines));
    try {
      if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        kill(process, cgroup);
        throw new TimedOut();
      }
      // Output written just before exit is still in the pipe: let the reader finish it.
      if (!reader.join(DRAIN_GRACE)) process.getInputStream().close();
      return process.exitValue();
    } catch (InterruptedException e) {
      kill(process, cgroup);
      throw e;
    } finally {
      if (process.isAlive()) kill(process, cgroup);
      reader.join(DRAIN_GRACE);
    }
  }

  private static void kill(Process process, Cgroup cgroup) {
    if (cgroup != null) cgroup.killAll();
    killTree(process);
  }

  /** SIGKILLs the process and every descendant, snapshotted first so none gets reparented. */
  static void killTree(Process process) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(process.toHandle());
    process.descendants().forEach(tree::add);
    tree.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(DRAIN_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void pump(java.io.InputStream in, Consumer<String> lines) {
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      StringBuilder line = new StringBuilder();
      char[] buf = new char[8192];
      boolean afterCarriageReturn = false;
      int n;
      while ((n = reader.read(buf)) >= 0) {
        for (int i = 0; i < n; i++) {
          char c = buf[i];
          if (c == '\n') {
            if (!afterCarriageReturn) emit(line, lines); // "\r\n" ended the line at '\r'
            afterCarriageReturn = false;
          } else if (c == '\r') {
            emit(line, lines);
            afterCarriageReturn = true;
          } else {
            afterCarriageReturn = false;
            line.append(c);
            if (line.length() >= MAX_LINE) emit(line, lines);
          }
        }
      }
      if (!line.isEmpty()) emit(line, lines);
    } catch (IOException e) {
      // The stream was closed because the process was killed or would not stop writing.
    }
  }

  private static void emit(StringBuilder line, Consumer<String> lines) {
    lines.accept(stripControl(line.toString()));
    line.setLength(0);
  }

  /** Drops ANSI escape sequences and other control characters a terminal would interpret. */
  static String stripControl(String s) {
    return s.replaceAll("\u001B\\[[0-9;?]*[ -/]*[@-~]", "").replaceAll("[\\p{Cntrl}&&[^\t]]", "");
  }
}
