package dev.pier.cron;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * One run of a job, as {@code pier cron:runs} lists it.
 *
 * @param instance the one-off instance a command ran as ({@code scheduler.N}), whose output
 *     {@code pier logs --dyno scheduler.N} shows; null for URL jobs and skipped runs
 * @param exitCode a command's exit status; null while it runs, when it was never started, or for
 *     URL jobs
 * @param httpStatus the last answer a URL job got; null for commands or when no answer came
 * @param attempts how many times a URL job was tried (retries included)
 * @param message why it failed or was skipped; null when it succeeded
 */
public record Run(
    int id, int jobId, String app, Trigger trigger, Status status, Instant startedAt, Instant finishedAt,
    Integer exitCode, Integer httpStatus, int attempts, String instance, String message) {
  /** What started a run. */
  public enum Trigger {
    SCHEDULE, MANUAL, CATCH_UP;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Trigger ofWire(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  /** Where a run is. */
  public enum Status {
    RUNNING, SUCCEEDED, FAILED, SKIPPED, TIMED_OUT, LOST;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Status ofWire(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  /** How long it took; null while it runs. */
  public Duration duration() {
    return finishedAt == null ? null : Duration.between(startedAt, finishedAt);
  }
}
