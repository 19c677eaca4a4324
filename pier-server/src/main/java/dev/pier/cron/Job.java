package dev.pier.cron;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A scheduled job of an app: a command run as a one-off instance ({@link Kind#COMMAND}, from
 * {@code pier cron:add}) or a {@code GET} of a path of the app ({@link Kind#URL}, from {@code
 * cron.yaml}).
 *
 * @param id the job's number, unique on the server; 0 before it is stored
 * @param target the version a URL job calls ({@code vN.APP...}), or null for the app's URL
 * @param retry how failed URL jobs are retried ({@link RetryParameters#NONE} for commands)
 * @param allowOverlap whether a run may start while the previous one still runs
 * @param catchUp whether a run missed while Pier was down runs once at start
 * @param timeLimit how long a command run may take before it is stopped
 * @param nextRunAt when the scheduler starts it next; null when the schedule never fires again
 */
public record Job(
    int id, String app, Kind kind, Schedule schedule, String command, String url, String description,
    Integer target, RetryParameters retry, boolean allowOverlap, boolean catchUp, Duration timeLimit,
    Instant createdAt, Instant nextRunAt) {
  /** What a job runs. */
  public enum Kind {
    COMMAND, URL;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Job {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(timeLimit, "timeLimit");
    if (kind == Kind.COMMAND && (command == null || command.isBlank())) throw new IllegalArgumentException("empty command");
    if (kind == Kind.URL && (url == null || !url.startsWith("/"))) throw new IllegalArgumentException("url must start with '/'");
  }

  /** What the job runs, for display: the command, or {@code GET URL}. */
  public String action() {
    return kind == Kind.COMMAND ? command : "GET " + url + (target == null ? "" : " (v" + target + ")");
  }

  public Job withNextRun(Instant next) {
    return new Job(id, app, kind, schedule, command, url, description, target, retry, allowOverlap, catchUp,
        timeLimit, createdAt, next);
  }

  public Job withId(int newId) {
    return new Job(newId, app, kind, schedule, command, url, description, target, retry, allowOverlap, catchUp,
        timeLimit, createdAt, nextRunAt);
  }
}
