package dev.pier.cron;

import dev.pier.errors.PlatformException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the API does with an app's scheduled jobs; bad input is a {@link PlatformException}. */
public final class CronService {
  /** How long a command run may take unless the job says otherwise. */
  public static final Duration DEFAULT_TIME_LIMIT = Duration.ofHours(1);

  /** The longest time limit a job may set. */
  public static final Duration MAX_TIME_LIMIT = Duration.ofHours(24);

  /** How many command jobs an app may have. */
  public static final int MAX_JOBS = 50;

  /** The longest command a job may run, in characters. */
  public static final int MAX_COMMAND = 4000;

  private final CronStore store;
  private final CronScheduler scheduler;
  private final InstantSource clock;

  CronService(CronStore store, CronScheduler scheduler, InstantSource clock) {
    this.store = store;
    this.scheduler = scheduler;
    this.clock = clock;
  }

  /** What {@code cron:add} asks for; null time zone = UTC, null time limit = {@link #DEFAULT_TIME_LIMIT}. */
  public record NewJob(String schedule, String command, String timezone, boolean allowOverlap, boolean catchUp,
      Duration timeLimit) {}

  /** Adds a command job; a schedule that does not parse is a 400 with cron-utils' reason. */
  public Job add(String app, NewJob request) {
    if (request.command() == null || request.command().isBlank()) throw PlatformException.badRequest("give the command to run");
    if (request.command().length() > MAX_COMMAND) {
      throw PlatformException.badRequest("the command is longer than " + MAX_COMMAND + " characters");
    }
    Duration limit = request.timeLimit() == null ? DEFAULT_TIME_LIMIT : request.timeLimit();
    if (limit.isNegative() || limit.isZero() || limit.compareTo(MAX_TIME_LIMIT) > 0) {
      throw PlatformException.badRequest("the time limit must be between 1 second and 24 hours");
    }
    Schedule schedule;
    try {
      ZoneId zone = Schedule.zone(request.timezone());
      schedule = UnixSchedule.parse(request.schedule(), zone);
    } catch (ScheduleException e) {
      throw PlatformException.badRequest(e.getMessage());
    }
    Instant now = clock.instant();
    Instant next = schedule.next(now);
    if (next == null) throw PlatformException.badRequest("the schedule '" + schedule.text() + "' never fires");
    if (store.jobs(app).stream().filter(j -> j.kind() == Job.Kind.COMMAND).count() >= MAX_JOBS) {
      throw PlatformException.conflict("app '" + app + "' already has " + MAX_JOBS + " command jobs: remove one first");
    }
    return store.insert(new Job(0, app, Job.Kind.COMMAND, schedule, request.command().strip(), null, null, null,
        RetryParameters.NONE, request.allowOverlap(), request.catchUp(), limit, now, next));
  }

  /** A job with its newest run, as {@code pier cron} lists it. */
  public record JobView(Job job, Run lastRun, boolean running) {}

  public List<JobView> list(String app) {
    List<JobView> views = new ArrayList<>();
    for (Job job : store.jobs(app)) {
      views.add(new JobView(job, store.lastRun(app, job.id()).orElse(null), scheduler.running(job.id())));
    }
    return views;
  }

  /** Removes a job and its history; a run under way goes on to its end. */
  public void remove(String app, int id) {
    Job job = get(app, id);
    if (job.kind() == Job.Kind.URL) {
      throw PlatformException.conflict("job " + id + " comes from cron.yaml: remove it there and push");
    }
    store.delete(app, id);
  }

  /** Runs a job now (outside its schedule); skipped, as a scheduled run, while one still runs. */
  public Run runNow(String app, int id) {
    return scheduler.fire(get(app, id), Run.Trigger.MANUAL);
  }

  /** An app's runs, newest first; of one job when {@code id} is not null. */
  public List<Run> runs(String app, Integer id, int limit) {
    if (id != null) get(app, id);
    return store.runs(app, id, limit);
  }

  public Job get(String app, int id) {
    return store.find(app, id).orElseThrow(() -> PlatformException.notFound("app '" + app + "' has no scheduled job " + id));
  }

  /** Makes the app's URL jobs those of its cron.yaml (none when the file is gone). */
  public List<Job> applyCronYaml(String app, List<CronYaml.Entry> entries) {
    Instant now = clock.instant();
    List<Job> wanted = new ArrayList<>();
    for (CronYaml.Entry e : entries) {
      wanted.add(new Job(0, app, Job.Kind.URL, e.schedule(), null, e.url(), e.description(), e.target(), e.retry(),
          false, true, DEFAULT_TIME_LIMIT, now, e.schedule().next(now)));
    }
    return store.replaceUrlJobs(app, wanted);
  }

  /** Looks a job up without failing. */
  public Optional<Job> find(String app, int id) {
    return store.find(app, id);
  }
}
