package dev.pier.datastores.run;

import dev.pier.datastores.DatastoreException;
import dev.pier.sandbox.SandboxLaunch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a short host command (psql, pg_dump, saslpasswd2, rabbitmqctl) with a time bound. */
public final class Commands {
  private Commands() {}

  /** What a finished command printed and how it exited. */
  public record Result(int exit, String output) {
    public boolean ok() {
      return exit == 0;
    }
  }

  /** Runs {@code argv} with {@code env} added, {@code stdin} fed, stdout and stderr merged. */
  public static Result run(List<String> argv, Map<String, String> env, String stdin, Duration timeout)
      throws DatastoreException {
    ProcessBuilder builder = new ProcessBuilder(argv);
    builder.environment().putAll(env);
    return run(argv.getFirst(), builder, builder::start, stdin, timeout);
  }

  /** Runs the sandboxed {@code launch} (called {@code name} in errors) like {@link #run(List, Map, String, Duration)}. */
  public static Result run(String name, SandboxLaunch launch, String stdin, Duration timeout)
      throws DatastoreException {
    return run(name, launch.builder(), launch::start, stdin, timeout);
  }

  private interface Start {
    Process start() throws IOException;
  }

  private static Result run(String name, ProcessBuilder builder, Start start, String stdin, Duration timeout)
      throws DatastoreException {
    builder.redirectErrorStream(true);
    try {
      Process p = start.start();
      try (var in = p.getOutputStream()) {
        if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // The command closed its input early: its output says why.
      }
      byte[][] buffer = new byte[1][];
      Thread out = Thread.ofVirtual().start(() -> {
        try {
          buffer[0] = p.getInputStream().readAllBytes();
        } catch (IOException e) {
          buffer[0] = new byte[0];
        }
      });
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor();
        out.join(Duration.ofSeconds(2));
        throw new DatastoreException(name + " did not finish within " + timeout.toSeconds() + " s");
      }
      out.join();
      return new Result(p.exitValue(), new String(buffer[0], StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new DatastoreException("could not run " + name + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DatastoreException("interrupted while running " + name, e);
    }
  }

  /** Like {@link #run} but fails with the command's output when it exits non-zero. */
  public static String check(List<String> argv, Map<String, String> env, String stdin, Duration timeout)
      throws DatastoreException {
    Result r = run(argv, env, stdin, timeout);
    if (!r.ok()) {
      throw new DatastoreException(Path.of(argv.getFirst()).getFileName() + " failed (exit " + r.exit() + "): "
          + Logs.lastLines(r.output(), 5));
    }
    return r.output();
  }
}
