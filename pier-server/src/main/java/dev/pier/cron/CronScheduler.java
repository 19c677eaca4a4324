package dev.pier.cron;

import dev.pier.logs.LogBus;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts jobs when they are due. One thread ticks (every {@link Options#tick}), reads the jobs
 * whose stored next run is at or before its clock's now, moves each one's next run to the first
 * one after now and fires it; runs themselves go to {@code runs} (a virtual thread each in the
 * server).
 *
 * <ul>
 *   <li>Overlap: a job whose previous run is still going is not started again unless it allows
 *       overlap; a {@code skipped} run says so ("still running").
 *   <li>Catch-up: at {@link #start} the runs left {@code running} by the previous server are
 *       marked {@code lost}, and each job whose next run passed while Pier was down runs once
 *       ({@code catch-up}), however many runs it missed; a job (or the server, {@link
 *       Options#catchUp}) that turns catch-up off gets a {@code skipped} run instead.
 * </ul>
 *
 * The clock is injectable: tests use a fake one and call {@link #recover} and {@link #tick}
 * themselves.
 */
public final class CronScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CronScheduler.class);

  /**
   * @param tick how often due jobs are looked for (real time)
   * @param catchUp false to skip, server-wide, the runs missed while Pier was down
   */
  public record Options(Duration tick, boolean catchUp) {
    public static Options defaults() {
      return new Options(Duration.ofSeconds(1), true);
    }
  }

  private final CronStore store;
  private final JobRunner runner;
  private final LogBus logs;
  private final InstantSource clock;
  private final Executor runs;
  private final Options options;
  private final Map<Integer, Integer> running = new HashMap<>();
  private ScheduledExecutorService ticker;

  CronScheduler(CronStore store, JobRunner runner, LogBus logs, InstantSource clock, Executor runs, Options options) {
    this.store = store;
    this.runner = runner;
    this.logs = logs;
    this.clock = clock;
    this.runs = runs;
    this.options = options;
  }

  /** Recovers from the previous server ({@link #recover}) and starts ticking. */
  public synchronized void start() {
    recover();
    ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "pier-cron");
      t.setDaemon(true);
      return t;
    });
    long ms = options.tick().toMillis();
    ticker.scheduleWithFixedDelay(this::safeTick, ms, ms, TimeUnit.MILLISECONDS);
  }

  /**
   * Marks runs the previous server left running as lost and handles the jobs whose next run
   * passed while Pier was down: each runs once now, or records a skipped run when catch-up is off.
   */
  void recover() {
    Instant now = clock.instant();
    int lost = store.markLost(now);
    if (lost > 0) LOG.info("{} scheduled run(s) were still running when Pier stopped: marked lost", lost);
    for (Job job : store.due(now)) {
      // The run is recorded before the next run moves on: a kill in between runs it again at the
      // next start (at least once), never loses it.
      try {
        if (job.catchUp() && options.catchUp()) {
          logs.platform(job.app(), JobRunner.PROCESS, "Job " + job.id() + " missed its run at "
              + job.nextRunAt() + " while Pier was down: running it now");
          fire(job, Run.Trigger.CATCH_UP);
        } else {
          String why = "missed its run at " + job.nextRunAt() + " while Pier was down (catch-up is off)";
          store.startRun(job, Run.Trigger.CATCH_UP, Run.Status.SKIPPED, now, why);
          logs.platform(job.app(), JobRunner.PROCESS, "Job " + job.id() + " " + why);
        }
      } finally {
        store.setNextRun(job.id(), job.schedule().next(now));
      }
    }
  }

  private void safeTick() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.warn("scheduler tick failed", e);
    }
  }

  /** Fires every job that is due now and moves its next run past now. */
  void tick() {
    Instant now = clock.instant();
    for (Job job : store.due(now)) {
      try {
        fire(job, Run.Trigger.SCHEDULE); // recorded first: see recover()
      } finally {
        store.setNextRun(job.id(), job.schedule().next(now));
      }
    }
  }

  /**
   * Starts a run of {@code job} now, or records it skipped while the previous run still runs
   * (unless the job allows overlap). Returns the run as recorded.
   */
  public Run fire(Job job, Run.Trigger trigger) {
    Run run;
    synchronized (running) {
      Instant now = clock.instant();
      if (!job.allowOverlap() && running.getOrDefault(job.id(), 0) > 0) {
        String why = "still running: the previous run has not ended";
        logs.platform(job.app(), JobRunner.PROCESS, "Job " + job.id() + " skipped (" + trigger.wireName() + "): " + why);
        return store.startRun(job, trigger, Run.Status.SKIPPED, now, why);
      }
      run = store.startRun(job, trigger, Run.Status.RUNNING, now, null);
      running.merge(job.id(), 1, Integer::sum);
    }
    Run started = run;
    try {
      runs.execute(() -> {
        try {
          runner.run(job, started);
        } finally {
          synchronized (running) {
            running.merge(job.id(), -1, (a, b) -> a + b == 0 ? null : a + b);
          }
        }
      });
    } catch (RuntimeException e) {
      synchronized (running) {
        running.merge(job.id(), -1, (a, b) -> a + b == 0 ? null : a + b);
      }
      throw e;
    }
    return run;
  }

  /** True while a run of the job is going. */
  public boolean running(int jobId) {
    synchronized (running) {
      return running.getOrDefault(jobId, 0) > 0;
    }
  }

  /** Stops ticking; runs under way end when the runtime stops their instances. */
  @Override
  public synchronized void close() {
    if (ticker != null) ticker.shutdownNow();
  }
}
