package dev.pier.cron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pier.app.AppStore;
import dev.pier.deploy.MutableClock;
import dev.pier.errors.PlatformException;
import dev.pier.logs.LogBus;
import dev.pier.model.AppName;
import dev.pier.store.Database;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler on a fake clock, with a real store and a launcher whose runs end when the test says. */
class CronSchedulerTest {
  private static final String APP = "shop";
  private static final Instant START = Instant.parse("2026-12-07T10:00:30Z");

  @TempDir Path tmp;
  private Database db;
  private CronStore store;
  private final MutableClock clock = new MutableClock(START);
  private LogBus logs;
  private final FakeLauncher launcher = new FakeLauncher();
  private final FakeUrls urls = new FakeUrls();
  private final ExecutorService runs = Executors.newVirtualThreadPerTaskExecutor();
  private CronScheduler scheduler;
  private CronService service;

  @BeforeEach
  void open() {
    db = Database.open(tmp.resolve("db"));
    new AppStore(db).insert(new AppName(APP), START).orElseThrow();
    store = new CronStore(db);
    logs = new LogBus(1000, clock);
    scheduler = scheduler(true);
  }

  private CronScheduler scheduler(boolean catchUp) {
    JobRunner runner = new JobRunner(store, launcher, urls, logs, clock, Duration.ofMillis(5));
    CronScheduler s = new CronScheduler(store, runner, logs, clock, runs, new CronScheduler.Options(Duration.ofSeconds(1), catchUp));
    service = new CronService(store, s, clock);
    return s;
  }

  @AfterEach
  void close() throws InterruptedException {
    launcher.finishAll(0);
    runs.shutdownNow();
    // A run still recording its end would write to the closed store (H2 then leaves a trace
    // file behind in the temp directory JUnit is deleting).
    runs.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    db.close();
  }

  private Job add(String schedule, String command, boolean overlap, boolean catchUp) {
    return service.add(APP, new CronService.NewJob(schedule, command, null, overlap, catchUp, null));
  }

  @Test
  void aJobRunsWhenItsMinuteComesAsAOneOffAndItsHistoryIsKept() throws Exception {
    Job job = add("* * * * *", "node jobs/cleanup.js", false, true);
    assertEquals(Instant.parse("2026-12-07T10:01:00Z"), job.nextRunAt());
    clock.set(Instant.parse("2026-12-07T10:00:59Z"));
    scheduler.tick();
    assertEquals(List.of(), launcher.launched);

    clock.set(Instant.parse("2026-12-07T10:01:00.200Z"));
    scheduler.tick();
    scheduler.tick(); // the same minute does not fire twice
    Run run = awaitStatus(job, Run.Status.RUNNING);
    waitFor(() -> !launcher.launched.isEmpty());
    assertEquals(List.of("node jobs/cleanup.js as scheduler." + run.id()), launcher.launched);
    assertEquals(Instant.parse("2026-12-07T10:02:00Z"), store.find(APP, job.id()).orElseThrow().nextRunAt());

    clock.advance(Duration.ofMillis(1500));
    launcher.finish("scheduler." + run.id(), 0);
    Run done = awaitStatus(job, Run.Status.SUCCEEDED);
    assertEquals(0, done.exitCode());
    assertEquals(Duration.ofMillis(1500), done.duration());
    assertEquals(Run.Trigger.SCHEDULE, done.trigger());
    waitFor(() -> launcher.removed.contains("scheduler." + run.id())); // the finished task instance is removed

    clock.set(Instant.parse("2026-12-07T10:02:00Z"));
    scheduler.tick();
    Run second = awaitNewRun(job, done.id());
    launcher.finish(second.instance(), 3);
    Run failed = awaitStatus(job, Run.Status.FAILED);
    assertEquals(3, failed.exitCode());
    assertEquals("exited with code 3", failed.message());
    assertEquals(2, store.runs(APP, job.id(), 10).size());
    waitFor(() -> lines().stream().anyMatch(l -> l.startsWith(second.instance() + ": Job " + job.id() + " failed after")
        && l.endsWith("exited with code 3")));
    assertTrue(lines().contains("scheduler." + run.id() + ": Job " + job.id() + " succeeded in 1.5 s (exit code 0)"), lines().toString());
  }

  @Test
  void aJobStillRunningIsNotStartedAgainAndTheSkipIsRecorded() throws Exception {
    Job job = add("* * * * *", "sleep 300", false, true);
    clock.set(Instant.parse("2026-12-07T10:01:00Z"));
    scheduler.tick();
    Run first = awaitStatus(job, Run.Status.RUNNING);
    waitFor(() -> launcher.running.containsKey("scheduler." + first.id()));
    clock.set(Instant.parse("2026-12-07T10:02:00Z"));
    scheduler.tick();
    Run skipped = store.lastRun(APP, job.id()).orElseThrow();
    assertEquals(Run.Status.SKIPPED, skipped.status());
    assertEquals("still running: the previous run has not ended", skipped.message());
    assertEquals(Run.Status.SKIPPED, service.runNow(APP, job.id()).status(), "cron:run respects overlap too");
    assertEquals(1, launcher.launched.size());

    launcher.finish("scheduler." + first.id(), 0);
    awaitNotRunning(job);
    assertEquals(Run.Status.RUNNING, service.runNow(APP, job.id()).status());
  }

  @Test
  void aJobThatAllowsOverlapStartsBesideItsRunningRun() throws Exception {
    Job job = add("* * * * *", "sleep 300", true, true);
    clock.set(Instant.parse("2026-12-07T10:01:00Z"));
    scheduler.tick();
    clock.set(Instant.parse("2026-12-07T10:02:00Z"));
    scheduler.tick();
    waitFor(() -> launcher.launched.size() == 2);
  }

  @Test
  void runsMissedWhilePierWasDownRunOnceAtStart() throws Exception {
    Job job = add("*/5 * * * *", "node report.js", false, true);
    assertEquals(Instant.parse("2026-12-07T10:05:00Z"), job.nextRunAt());
    clock.set(Instant.parse("2026-12-07T10:31:10Z")); // 10:05 .. 10:30 missed: six runs
    scheduler.recover();
    Run caught = awaitStatus(job, Run.Status.RUNNING);
    assertEquals(Run.Trigger.CATCH_UP, caught.trigger());
    waitFor(() -> launcher.launched.size() == 1);
    assertEquals(Instant.parse("2026-12-07T10:35:00Z"), store.find(APP, job.id()).orElseThrow().nextRunAt());
    scheduler.tick();
    assertEquals(1, launcher.launched.size());
  }

  @Test
  void catchUpTurnedOffRecordsTheMissedRunAsSkipped() throws Exception {
    Job perJob = add("*/5 * * * *", "node a.js", false, false);
    clock.set(Instant.parse("2026-12-07T10:31:10Z"));
    scheduler.recover();
    Run skipped = store.lastRun(APP, perJob.id()).orElseThrow();
    assertEquals(Run.Status.SKIPPED, skipped.status());
    assertTrue(skipped.message().contains("while Pier was down (catch-up is off)"), skipped.message());

    Job serverWide = add("*/5 * * * *", "node b.js", false, true);
    clock.set(Instant.parse("2026-12-07T11:00:10Z"));
    scheduler(false).recover();
    assertEquals(Run.Status.SKIPPED, store.lastRun(APP, serverWide.id()).orElseThrow().status());
    assertEquals(List.of(), launcher.launched);
  }

  @Test
  void runsAPreviousServerLeftRunningAreMarkedLostAtStart() {
    Job job = add("0 0 * * *", "node nightly.js", false, true);
    Run left = store.startRun(job, Run.Trigger.SCHEDULE, Run.Status.RUNNING, START, null);
    scheduler.recover();
    Run lost = store.runs(APP, job.id(), 1).get(0);
    assertEquals(left.id(), lost.id());
    assertEquals(Run.Status.LOST, lost.status());
  }

  @Test
  void aCommandPastItsTimeLimitIsStopped() throws Exception {
    Job job = service.add(APP, new CronService.NewJob("* * * * *", "sleep 100000", null, false, true, Duration.ofMinutes(2)));
    Run run = service.runNow(APP, job.id());
    awaitStatus(job, Run.Status.RUNNING);
    clock.advance(Duration.ofMinutes(2));
    Run timedOut = awaitStatus(job, Run.Status.TIMED_OUT);
    assertEquals("stopped: ran longer than its time limit of 2 min", timedOut.message());
    waitFor(() -> launcher.removed.contains("scheduler." + run.id()));
  }

  @Test
  void aUrlJobIsRetriedPerItsRetryParameters() throws Exception {
    List<CronYaml.Entry> yaml = CronYaml.parse("""
        cron:
        - url: /tasks/flaky
          schedule: every 5 minutes
          retry_parameters:
            job_retry_limit: 2
            min_backoff_seconds: 0
        - url: /tasks/broken
          schedule: every 5 minutes
          target: v3
        """);
    List<Job> jobs = service.applyCronYaml(APP, yaml);
    urls.answers.addAll(List.of(500, 503, 200));
    service.runNow(APP, jobs.get(0).id());
    Run ok = awaitStatus(jobs.get(0), Run.Status.SUCCEEDED);
    assertEquals(3, ok.attempts());
    assertEquals(200, ok.httpStatus());

    urls.answers.add(500);
    service.runNow(APP, jobs.get(1).id());
    Run failed = awaitStatus(jobs.get(1), Run.Status.FAILED);
    assertEquals(1, failed.attempts());
    assertEquals("answered 500", failed.message());
    assertEquals(List.of("/tasks/flaky", "/tasks/flaky", "/tasks/flaky", "v3 /tasks/broken"), urls.calls);
  }

  @Test
  void pushingCronYamlAgainKeepsUnchangedJobsAndTheirHistory() throws Exception {
    List<Job> first = service.applyCronYaml(APP, CronYaml.parse("cron:\n- url: /a\n  schedule: every day 00:00\n- url: /b\n  schedule: every day 01:00\n"));
    store.startRun(first.get(0), Run.Trigger.MANUAL, Run.Status.SKIPPED, START, "x");
    List<Job> second = service.applyCronYaml(APP, CronYaml.parse("cron:\n- url: /a\n  schedule: every day 00:00\n  description: A\n"));
    assertEquals(1, second.size());
    assertEquals(first.get(0).id(), second.get(0).id());
    assertEquals(1, store.runs(APP, first.get(0).id(), 10).size());
    assertTrue(store.find(APP, first.get(1).id()).isEmpty());
    assertEquals(List.of(), service.applyCronYaml(APP, List.of()));
  }

  @Test
  void instanceNumbersStayWithinFiveDigits() {
    assertEquals("scheduler.17", JobRunner.instanceName(17));
    assertEquals("scheduler.99999", JobRunner.instanceName(99_999));
    assertEquals("scheduler.1", JobRunner.instanceName(100_000));
  }

  @Test
  void historyKeepsTheNewestHundredRunsOfEachJob() {
    Job job = add("0 0 * * *", "true", false, true);
    for (int i = 0; i < CronStore.KEEP_RUNS + 5; i++) store.startRun(job, Run.Trigger.MANUAL, Run.Status.SKIPPED, START, "n" + i);
    List<Run> kept = store.runs(APP, job.id(), 1000);
    assertEquals(CronStore.KEEP_RUNS, kept.size());
    assertEquals("n" + (CronStore.KEEP_RUNS + 4), kept.get(0).message());
    assertEquals("n5", kept.get(kept.size() - 1).message());
  }

  @Test
  void aBadExpressionIsA400WithCronUtilsReason() {
    PlatformException e = org.junit.jupiter.api.Assertions.assertThrows(PlatformException.class,
        () -> add("*/10 * * *", "node x.js", false, true));
    assertEquals(400, e.problem().status);
    assertTrue(e.getMessage().startsWith("invalid cron expression '*/10 * * *': "), e.getMessage());
    assertTrue(store.jobs(APP).isEmpty());
  }

  @Test
  void aJobOfAnAppWithoutReleaseFailsWithTheReason() throws Exception {
    launcher.refuse = "app 'shop' has no release yet: deploy it first";
    Job job = add("* * * * *", "node x.js", false, true);
    service.runNow(APP, job.id());
    Run failed = awaitStatus(job, Run.Status.FAILED);
    assertEquals("could not start: app 'shop' has no release yet: deploy it first", failed.message());
    assertNull(failed.exitCode());
  }

  // ---- helpers ----

  private List<String> lines() {
    return logs.recent(APP, 1000).stream().map(l -> l.process() + ": " + l.text()).toList();
  }

  private Run awaitStatus(Job job, Run.Status status) throws InterruptedException {
    long end = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < end) {
      Optional<Run> last = store.lastRun(APP, job.id());
      if (last.isPresent() && last.get().status() == status) return last.get();
      Thread.sleep(5);
    }
    throw new AssertionError("no " + status + " run of job " + job.id() + ": " + store.runs(APP, job.id(), 5));
  }

  private Run awaitNewRun(Job job, int after) throws InterruptedException {
    waitFor(() -> store.lastRun(APP, job.id()).map(r -> r.id() > after && r.instance() != null
        && launcher.running.containsKey(r.instance())).orElse(false));
    return store.lastRun(APP, job.id()).orElseThrow();
  }

  private void awaitNotRunning(Job job) throws InterruptedException {
    waitFor(() -> !scheduler.running(job.id()));
  }

  private static void waitFor(java.util.function.BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + 5_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError("timed out");
      Thread.sleep(5);
    }
  }

  /** Records launches; a run ends when the test calls {@link #finish}. */
  static final class FakeLauncher implements JobLauncher {
    final List<String> launched = Collections.synchronizedList(new ArrayList<>());
    final List<String> removed = Collections.synchronizedList(new ArrayList<>());
    final Map<String, Optional<Outcome>> running = new ConcurrentHashMap<>();
    volatile String refuse;

    @Override
    public Launched launch(String app, String command, String name) {
      if (refuse != null) throw PlatformException.conflict(refuse);
      launched.add(command + " as " + name);
      running.put(name, Optional.empty());
      return new Launched(app, name);
    }

    @Override
    public Optional<Outcome> outcome(Launched run) {
      return running.getOrDefault(run.instance(), Optional.of(new Outcome(null, "the instance is gone")));
    }

    @Override
    public void remove(Launched run) {
      removed.add(run.instance());
      running.remove(run.instance());
    }

    void finish(String name, int code) {
      running.replace(name, Optional.of(new Outcome(code, "exited with code " + code)));
    }

    void finishAll(int code) {
      running.replaceAll((k, v) -> Optional.of(new Outcome(code, null)));
    }
  }

  /** Answers URL jobs from a queue (200 when empty) and records the calls. */
  static final class FakeUrls implements UrlCaller {
    final Deque<Integer> answers = new ArrayDeque<>();
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    @Override
    public synchronized int get(String app, Integer target, String path) throws IOException {
      calls.add((target == null ? "" : "v" + target + " ") + path);
      Integer a = answers.poll();
      return a == null ? 200 : a;
    }
  }
}
