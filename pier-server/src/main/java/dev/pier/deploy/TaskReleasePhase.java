package dev.pier.deploy;

import dev.pier.app.App;
import dev.pier.build.BuildOutput;
import dev.pier.logs.LogBus;
import dev.pier.release.Release;
import dev.pier.runtime.Attachment;
import dev.pier.runtime.InstanceSpec;
import dev.pier.runtime.Interactive;
import dev.pier.runtime.RuntimeBackend;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The release phase as a one-off task ({@code release.1}) of the new release through the runtime,
 * attached with plain pipes so its output is read line by line into the deploy's output and the
 * logs. It is stopped (its whole cgroup) when it runs past {@code timeLimit} or when the deploy
 * is interrupted, and removed from the runtime once it ended.
 */
public final class TaskReleasePhase implements ReleasePhase {
  private static final int MAX_LINE = 8192;

  private final InstanceSpecs specs;
  private final RuntimeBackend runtime;
  private final LogBus logs;
  private final Duration timeLimit;

  public TaskReleasePhase(InstanceSpecs specs, RuntimeBackend runtime, LogBus logs, Duration timeLimit) {
    this.specs = specs;
    this.runtime = runtime;
    this.logs = logs;
    this.timeLimit = timeLimit;
  }

  @Override
  public Optional<String> run(App app, Release release, BuildOutput out) throws InterruptedException {
    String command = release.processes().get(TYPE);
    if (command == null) return Optional.empty();
    String name = app.name().value();
    out.step("Running release command for " + release.name() + ": " + command);
    logs.platform(name, "release", "Release command of " + release.name() + " started: " + command);
    InstanceSpec spec = specs.oneOff(app, release, TYPE, 1, command, null).withInteractive(Interactive.pipes());
    runtime.start(spec);
    try (Attachment attachment = runtime.attach(name, spec.id())) {
      attachment.input().close();
      Thread reader = Thread.ofVirtual().start(() -> copy(attachment, name, spec.name(), out));
      Integer code;
      try {
        code = attachment.exit().get(timeLimit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException late) {
        runtime.stop(name, spec.id());
        return fail(name, release, "the release command ran longer than " + timeLimit.toMinutes() + " minutes and was stopped");
      } catch (ExecutionException e) {
        return fail(name, release, "the release command could not run: " + e.getCause().getMessage());
      }
      reader.join(Duration.ofSeconds(5));
      if (code != 0) return fail(name, release, "the release command failed (exit code " + code + ")");
      logs.platform(name, "release", "Release command of " + release.name() + " succeeded");
      out.info("Release command succeeded");
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return fail(name, release, "the release command could not run: " + e.getMessage());
    } finally {
      runtime.stop(name, spec.id()); // a task that ended is only removed; one still running is killed
    }
  }

  private Optional<String> fail(String app, Release release, String reason) {
    logs.platform(app, "release", "Release command of " + release.name() + " failed: " + reason);
    return Optional.of(reason);
  }

  /** Copies the task's output, line by line (long lines cut), to the deploy and the logs. */
  private void copy(Attachment attachment, String app, String instance, BuildOutput out) {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(attachment.output(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.length() > MAX_LINE) line = line.substring(0, MAX_LINE);
        out.info(line);
        logs.append(app, "app", instance, line);
      }
    } catch (IOException ended) {
      // the task ended or was stopped: its output is closed
    }
  }
}
