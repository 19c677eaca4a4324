package dev.pier.cron;

import dev.pier.logs.LogBus;
import dev.pier.store.Database;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The scheduled-jobs feature assembled: store, runner, scheduler and service. */
public final class Cron implements AutoCloseable {
  private final CronService service;
  private final CronScheduler scheduler;
  private final JobRunner runner;
  private final ExecutorService runs;
  private final InstantSource clock;

  private Cron(CronService service, CronScheduler scheduler, JobRunner runner, ExecutorService runs, InstantSource clock) {
    this.service = service;
    this.runner = runner;
    this.scheduler = scheduler;
    this.runs = runs;
    this.clock = clock;
  }

  /** Wires the feature on {@code clock} (scaled per {@code settings}); call {@link #start} when instances can run. */
  public static Cron create(Database db, JobLauncher launcher, UrlCaller urls, LogBus logs, InstantSource clock,
      CronSettings settings) {
    InstantSource c = settings.clockScale() > 1 ? ScaledClock.of(clock, settings.clockScale()) : clock;
    CronStore store = new CronStore(db);
    ExecutorService runs = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("pier-cron-run-", 0).factory());
    JobRunner runner = new JobRunner(store, launcher, urls, logs, c, Duration.ofMillis(250));
    CronScheduler scheduler = new CronScheduler(store, runner, logs, c, (Executor) runs,
        new CronScheduler.Options(settings.tick(), settings.catchUp()));
    return new Cron(new CronService(store, scheduler, c), scheduler, runner, runs, c);
  }

  public CronService service() {
    return service;
  }

  /** The scheduler's clock (scaled in tests). */
  public InstantSource clock() {
    return clock;
  }

  /** Catches up missed runs and starts the scheduler. */
  public void start() {
    scheduler.start();
  }

  /** Stops scheduling and interrupts runs under way (they are recorded lost). */
  @Override
  public void close() {
    scheduler.close();
    runner.stop();
    runs.shutdownNow();
    try {
      runs.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
