package dev.pier.cron;

import dev.pier.logs.LogBus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one run of a job and records how it ended: a command as a one-off instance
 * ({@code scheduler.RUN_ID}, stopped past the job's time limit), a URL as a {@code GET} retried per
 * its {@link RetryParameters}. Each start, failure and end is a platform line in the app's log.
 */
final class JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  /** The process name of a job's own platform lines (URL jobs, skips); command runs use their instance. */
  static final String PROCESS = "scheduler";

  private final CronStore store;
  private final JobLauncher launcher;
  private final UrlCaller urls;
  private final LogBus logs;
  private final InstantSource clock;
  private final Duration poll;
  private volatile boolean stopping;

  JobRunner(CronStore store, JobLauncher launcher, UrlCaller urls, LogBus logs, InstantSource clock, Duration poll) {
    this.store = store;
    this.launcher = launcher;
    this.urls = urls;
    this.logs = logs;
    this.clock = clock;
    this.poll = poll;
  }

  /**
   * The instance a command run runs as: {@code scheduler.N}, N the run's number wrapped below
   * 100000 (instance numbers have at most five digits, as {@code pier logs --dyno} takes them).
   */
  static String instanceName(int runId) {
    return PROCESS + "." + ((runId - 1) % 99_999 + 1);
  }

  /** Makes runs under way end at their next check, recorded lost (the server is stopping). */
  void stop() {
    stopping = true;
  }

  /** Waits {@code d}, or throws at once when the server is stopping. */
  private void pause(Duration d) throws InterruptedException {
    if (stopping) throw new InterruptedException("stopping");
    Thread.sleep(d.toMillis());
    if (stopping) throw new InterruptedException("stopping");
  }

  /** Runs {@code run} of {@code job} to its end; never throws (a failure is the run's outcome). */
  void run(Job job, Run run) {
    try {
      if (job.kind() == Job.Kind.COMMAND) command(job, run);
      else url(job, run);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finish(job, run, Run.Status.LOST, null, null, 0, "Pier stopped during the run", null);
    } catch (RuntimeException e) {
      LOG.warn("job {} of {} failed", job.id(), job.app(), e);
      finish(job, run, Run.Status.FAILED, null, null, 0, e.getMessage() == null ? e.toString() : e.getMessage(), null);
    }
  }

  private void command(Job job, Run run) throws InterruptedException {
    String name = instanceName(run.id());
    store.setInstance(run.id(), name);
    logs.platform(job.app(), name, "Starting job " + job.id() + " (" + run.trigger().wireName() + "): " + job.command());
    JobLauncher.Launched launched;
    try {
      launched = launcher.launch(job.app(), job.command(), name);
    } catch (RuntimeException e) {
      finish(job, run, Run.Status.FAILED, null, null, 0, "could not start: " + e.getMessage(), name);
      return;
    }
    Instant deadline = run.startedAt().plus(job.timeLimit());
    try {
      while (true) {
        Optional<JobLauncher.Outcome> outcome = launcher.outcome(launched);
        if (outcome.isPresent()) {
          Integer code = outcome.get().exitCode();
          boolean ok = code != null && code == 0;
          String why = ok ? null : code == null ? outcome.get().reason() : "exited with code " + code;
          finish(job, run, ok ? Run.Status.SUCCEEDED : Run.Status.FAILED, code, null, 1, why, name);
          return;
        }
        if (!clock.instant().isBefore(deadline)) {
          launcher.remove(launched);
          finish(job, run, Run.Status.TIMED_OUT, null, null, 1,
              "stopped: ran longer than its time limit of " + human(job.timeLimit()), name);
          return;
        }
        pause(poll);
      }
    } finally {
      launcher.remove(launched);
    }
  }

  private void url(Job job, Run run) throws InterruptedException {
    RetryParameters retry = job.retry();
    logs.platform(job.app(), PROCESS, "Starting job " + job.id() + " (" + run.trigger().wireName() + "): " + job.action());
    Integer status = null;
    String problem = null;
    int attempt = 0;
    while (true) {
      attempt++;
      try {
        status = urls.get(job.app(), job.target(), job.url());
        if (status >= 200 && status < 300) {
          finish(job, run, Run.Status.SUCCEEDED, null, status, attempt, null, null);
          return;
        }
        problem = "answered " + status;
      } catch (IOException e) {
        status = null;
        problem = "no answer: " + e.getMessage();
      }
      boolean tooOld = retry.ageLimit() != null
          && !clock.instant().isBefore(run.startedAt().plus(retry.ageLimit()));
      if (attempt > retry.retryLimit() || tooOld) break;
      Duration wait = retry.backoff(attempt);
      logs.platform(job.app(), PROCESS, "Job " + job.id() + " attempt " + attempt + " failed (" + problem
          + "); retrying in " + human(wait));
      pause(wait);
    }
    finish(job, run, Run.Status.FAILED, null, status, attempt, problem, null);
  }

  private void finish(Job job, Run run, Run.Status status, Integer exitCode, Integer http, int attempts,
      String message, String process) {
    Instant now = clock.instant();
    try {
      store.finishRun(run.id(), status, exitCode, http, attempts, message, now);
    } catch (RuntimeException e) {
      LOG.warn("could not record the end of run {} of job {}: {}", run.id(), job.id(), e.getMessage());
    }
    String took = human(Duration.between(run.startedAt(), now));
    String line = switch (status) {
      case SUCCEEDED -> "Job " + job.id() + " succeeded in " + took
          + (http != null ? " (HTTP " + http + ")" : " (exit code 0)");
      case TIMED_OUT -> "Job " + job.id() + " timed out after " + took + ": " + message;
      default -> "Job " + job.id() + " failed after " + took + ": " + message;
    };
    logs.platform(job.app(), process == null ? PROCESS : process, line);
  }

  /** A duration as people write it: {@code 850 ms}, {@code 2.1 s}, {@code 3 min}, {@code 1 h}. */
  static String human(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) return ms + " ms";
    if (ms < 60_000) return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    if (ms < 3_600_000) return (ms / 60_000) + " min" + (ms % 60_000 >= 1000 ? " " + (ms % 60_000) / 1000 + " s" : "");
    return (ms / 3_600_000) + " h" + (ms % 3_600_000 >= 60_000 ? " " + (ms % 3_600_000) / 60_000 + " min" : "");
  }
}
