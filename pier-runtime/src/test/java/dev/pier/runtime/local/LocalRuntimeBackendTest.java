package dev.pier.runtime.local;

import dev.pier.testkit.ProcScan;
import dev.pier.sandbox.Cgroups;
import static dev.pier.model.InstanceState.CRASHED;
import static dev.pier.model.InstanceState.STARTING;
import static dev.pier.model.InstanceState.STOPPING;
import static dev.pier.model.InstanceState.UP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.AppName;
import dev.pier.model.ProcessType;
import dev.pier.runtime.ExitReason;
import dev.pier.runtime.InstanceSpec;
import dev.pier.runtime.InstanceStatus;
import dev.pier.runtime.ResourceUsage;
import dev.pier.sandbox.AppUser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs real sandboxed node processes as root, in cgroups under {@code pier-test}. */
@Timeout(60)
class LocalRuntimeBackendTest {
  private static final String CGROUP_BASE = "pier-test";
  private static final AppUser USER = new AppUser(61001, 61001);
  private static final long MB = 1024 * 1024;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @RegisterExtension
  static final BackendFixture fixture = BackendFixture.inCgroup(CGROUP_BASE).appsNamed("rt");

  @Test
  void webInstanceBecomesUpAndAnswersOnItsPortAsTheAppUser() throws Exception {
    fixture.backend().start(spec("web", 1, "node server.js"));

    var up = fixture.awaitState("web.1", UP);
    InstanceStatus status = fixture.single();
    assertThat(status.state()).isEqualTo(UP);
    assertThat(up.reason()).startsWith("port " + status.port() + " accepting connections (ready ");
    assertThat(fixture.changes("web.1").getFirst())
        .isEqualTo(
            new RecordingListener.Change(
                fixture.app(), "web.1", null, STARTING, "Starting process with command `node server.js`"));
    String body = get(status.port(), "/");
    assertThat(body)
        .contains("\"dyno\":\"web.1\"")
        .contains("\"port\":\"" + status.port() + "\"")
        .contains("\"uid\":61001")
        .contains("\"gid\":61001");
    assertThat(fixture.lines("web.1"))
        .extracting(RecordingListener.Line::text)
        .contains("listening on " + status.port());
    assertThat(status.startedAt()).isNotNull();
    assertThat(status.restarts()).isZero();
    assertThat(status.command()).isEqualTo("node server.js");

    ResourceUsage usage = fixture.backend().usage(fixture.app(), "web.1").orElseThrow();
    assertThat(usage.rssBytes()).isPositive();
    assertThat(usage.cpuNanos()).isPositive();
  }

  @Test
  void environmentHoldsConfigVarsPortDynoMemoryLimitAndNothingOfTheServer() throws Exception {
    InstanceSpec spec = spec("web", 1, "node server.js", Map.of("GREETING", "hello"));
    fixture.backend().start(spec);
    fixture.awaitState("web.1", UP);
    int port = fixture.single().port();

    String body = get(port, "/");
    assertThat(body)
        .contains("\"GREETING\":\"hello\"")
        .contains("\"PORT\":\"" + port + "\"")
        .contains("\"DYNO\":\"web.1\"")
        .contains("\"HOME\":\"/app\"")
        .contains("\"PATH\":\"" + Launch.DEFAULT_PATH + "\"")
        .contains("\"MEMORY_LIMIT\":\"256m\"");
    Set<String> allowed = Set.of("GREETING", "PORT", "DYNO", "HOME", "PATH", "PWD", "MEMORY_LIMIT");
    for (String key : System.getenv().keySet()) {
      if (!allowed.contains(key)) assertThat(body).doesNotContain("\"" + key + "\":");
    }
  }

  @Test
  void appCannotWriteOutsideAppDirectory() throws Exception {
    fixture.backend().start(spec("web", 1, "node server.js"));
    fixture.awaitState("web.1", UP);
    int port = fixture.single().port();
    Path hostFile = fixture.runDir().resolve("escaped");

    assertThat(get(port, "/write?path=/app/data.txt")).isEqualTo("written");
    assertThat(get(port, "/write?path=/usr/pier-escape")).startsWith("error");
    assertThat(get(port, "/write?path=/etc/passwd")).startsWith("error");
    assertThat(get(port, "/write?path=" + hostFile)).startsWith("error");
    // The sandbox's own root, /etc and /tmp directories are private scratch space (tmpfs):
    // writes there succeed but never reach the host.
    assertThat(get(port, "/write?path=/tmp/private")).isEqualTo("written");
    get(port, "/write?path=/pier-escape");
    get(port, "/write?path=/etc/pier-escape");

    assertThat(hostFile).doesNotExist();
    assertThat(Path.of("/usr/pier-escape")).doesNotExist();
    assertThat(Path.of("/tmp/private")).doesNotExist();
    assertThat(Path.of("/pier-escape")).doesNotExist();
    assertThat(Path.of("/etc/pier-escape")).doesNotExist();
    assertThat(fixture.runDir().resolve(fixture.app()).resolve("web.1/app/data.txt")).exists();
  }

  @Test
  void crashedInstanceIsRestartedAndServesAgain() throws Exception {
    fixture.backend().start(spec("web", 1, "node server.js"));
    fixture.awaitState("web.1", UP);

    assertThat(get(fixture.single().port(), "/crash")).isEqualTo("bye");

    var crash = fixture.awaitState("web.1", CRASHED, 1, Duration.ofSeconds(10));
    assertThat(crash.reason()).isEqualTo("Process exited with status 3");
    fixture.awaitState("web.1", UP, 2, Duration.ofSeconds(15));
    InstanceStatus status = fixture.single();
    assertThat(status.state()).isEqualTo(UP);
    assertThat(status.restarts()).isEqualTo(1);
    assertThat(get(status.port(), "/")).contains("\"dyno\":\"web.1\"");
  }

  @Test
  void stopLeavesNoProcessBehindEvenOneIgnoringSigterm() throws Exception {
    String command = "sh -c 'trap \"\" TERM; sleep 1000' & sleep 1000 & node server.js";
    fixture.backend().start(spec("web", 1, command, Map.of(), Duration.ofSeconds(1)));
    fixture.awaitState("web.1", UP);
    Set<Long> pids = awaitPids("web.1", 6);

    long begin = System.nanoTime();
    fixture.backend().stop(fixture.app(), "web.1");
    Duration took = Duration.ofNanos(System.nanoTime() - begin);

    assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(8));
    assertThat(pids).noneMatch(LocalRuntimeBackendTest::running);
    assertThat(fixture.backend().list(fixture.app())).isEmpty();
    assertThat(fixture.changes("web.1"))
        .extracting(RecordingListener.Change::to)
        .containsSubsequence(UP, STOPPING, null);
    assertThat(fixture.changes("web.1").getLast().reason()).contains("SIGKILL");
    assertThat(fixture.runDir().resolve(fixture.app())).doesNotExist();
    assertThat(Path.of("/sys/fs/cgroup/memory", CGROUP_BASE, fixture.app() + ".web.1")).doesNotExist();
  }

  @Test
  void stopOfWellBehavedInstanceEndsBackgroundChildrenWithoutWaitingForGrace() throws Exception {
    fixture.backend().start(spec("web", 1, "sleep 1000 & node server.js", Map.of(), Duration.ofSeconds(10)));
    fixture.awaitState("web.1", UP);
    Set<Long> pids = awaitPids("web.1", 5);

    long begin = System.nanoTime();
    fixture.backend().stop(fixture.app(), "web.1");

    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(5));
    assertThat(pids).noneMatch(LocalRuntimeBackendTest::running);
    assertThat(fixture.changes("web.1").getLast())
        .isEqualTo(new RecordingListener.Change(fixture.app(), "web.1", STOPPING, null, "Stopped"));
  }

  @Test
  void processAllocatingPastItsMemoryLimitIsKilledWithAReasonNamingTheLimit() throws Exception {
    InstanceSpec spec =
        new InstanceSpec(
            AppName.of(fixture.app()), ProcessType.of("worker"), 1, 1, fixture.serverSlug(),
            "node hog.js", Map.of(), USER, 64 * MB, Duration.ofSeconds(1));
    fixture.backend().start(spec);

    var crash = fixture.awaitState("worker.1", CRASHED, 1, Duration.ofSeconds(20));

    assertThat(crash.reason())
        .isEqualTo("Process exited with status 137 after exceeding its memory limit of 64 MB");
  }

  @Test
  void instancesGetTheirOwnPortsAndAreListedByTypeThenIndex() throws Exception {
    fixture.backend().start(spec("web", 2, "node server.js"));
    fixture.backend().start(spec("worker", 1, "sleep 1000"));
    fixture.backend().start(spec("web", 1, "node server.js"));
    fixture.awaitState("web.1", UP);
    fixture.awaitState("web.2", UP);
    var workerUp = fixture.awaitState("worker.1", UP);

    List<InstanceStatus> list = fixture.backend().list(fixture.app());
    assertThat(list).extracting(InstanceStatus::name).containsExactly("web.1", "web.2", "worker.1");
    assertThat(workerUp.reason()).startsWith("Process running (ready ").endsWith(" ms after start)");
    int port1 = list.get(0).port();
    int port2 = list.get(1).port();
    assertThat(port1).isNotEqualTo(port2);
    assertThat(get(port1, "/")).contains("\"dyno\":\"web.1\"");
    assertThat(get(port2, "/")).contains("\"dyno\":\"web.2\"");
  }

  @Test
  void startingAnInstanceAgainReplacesTheRunningOne() throws Exception {
    fixture.backend().start(spec("web", 1, "node server.js"));
    fixture.awaitState("web.1", UP);
    Set<Long> oldPids = awaitPids("web.1", 4);

    fixture.backend().start(
        new InstanceSpec(
            AppName.of(fixture.app()), ProcessType.WEB, 1, 2, fixture.serverSlug(),
            "node server.js", Map.of(), USER, 256 * MB, Duration.ofSeconds(2)));
    fixture.awaitState("web.1", UP, 2, Duration.ofSeconds(15));

    InstanceStatus status = fixture.single();
    assertThat(status.release()).isEqualTo(2);
    assertThat(status.restarts()).isZero();
    assertThat(get(status.port(), "/")).contains("\"dyno\":\"web.1\"");
    assertThat(oldPids).noneMatch(LocalRuntimeBackendTest::running);
  }

  @Test
  void closeStopsEveryInstance() throws Exception {
    fixture.backend().start(spec("web", 1, "node server.js"));
    fixture.backend().start(spec("worker", 1, "sleep 1000"));
    fixture.awaitState("web.1", UP);
    fixture.awaitState("worker.1", UP);
    Set<Long> pids = new HashSet<>(awaitPids("web.1", 4));
    pids.addAll(awaitPids("worker.1", 4));

    fixture.backend().close();

    assertThat(fixture.backend().list(fixture.app())).isEmpty();
    assertThat(pids).noneMatch(LocalRuntimeBackendTest::running);
  }

  @Test
  void crashingInstanceIsRestartedImmediatelyFirstThenWithBackoff() throws Exception {
    fixture.useBackend(s -> s.withRestartPolicy(new RestartPolicy(
        Duration.ZERO, Duration.ofMillis(800), Duration.ofSeconds(5), Duration.ofSeconds(60))));
    fixture.backend().start(spec("worker", 1, "echo failing; exit 1"));

    var crash1 = fixture.awaitState("worker.1", CRASHED, 1, Duration.ofSeconds(10));
    var start2 = fixture.awaitState("worker.1", STARTING, 2, Duration.ofSeconds(10));
    var crash2 = fixture.awaitState("worker.1", CRASHED, 2, Duration.ofSeconds(10));
    var start3 = fixture.awaitState("worker.1", STARTING, 3, Duration.ofSeconds(10));

    assertThat(crash1.reason()).isEqualTo("Process exited with status 1");
    assertThat(start2.from()).isEqualTo(CRASHED);
    RecordingListener listener = fixture.listener();
    assertThat(Duration.ofNanos(listener.nanoTimeOf(start2) - listener.nanoTimeOf(crash1)))
        .isLessThan(Duration.ofMillis(700));
    assertThat(Duration.ofNanos(listener.nanoTimeOf(start3) - listener.nanoTimeOf(crash2)))
        .isGreaterThanOrEqualTo(Duration.ofMillis(750));
    assertThat(fixture.backend().list(fixture.app()).getFirst().restarts()).isGreaterThanOrEqualTo(2);
    assertThat(fixture.lines("worker.1")).extracting(RecordingListener.Line::text).contains("failing");
    assertThat(fixture.awaitEvent("worker.1", e -> e.startsWith("Restarting"), Duration.ofSeconds(5)))
        .isEqualTo("Restarting worker.1 in 0.8 s");
  }

  @Test
  void daemonizedChildOfAnInstanceIsKilledWhenItStops() throws Exception {
    fixture.backend().start(spec("web", 1, "(setsid nohup sleep 321.25 >/dev/null 2>&1 &); node server.js"));
    fixture.awaitState("web.1", UP);
    assertThat(ProcScan.withCommandLine("sleep 321.25")).isNotEmpty();

    fixture.backend().stop(fixture.app(), "web.1");

    assertThat(ProcScan.withCommandLine("sleep 321.25")).isEmpty();
    assertThat(ProcScan.ofUid(USER.uid())).isEmpty();
  }

  @Test
  void instanceHittingItsPidsLimitIsToldInItsLog() throws Exception {
    fixture.backend().start(spec("worker", 1,
        "i=0; while [ $i -lt 600 ]; do sleep 1000 & i=$((i+1)); done; sleep 1000"));

    String event = fixture.awaitEvent("worker.1", e -> e.contains("limit"), Duration.ofSeconds(30));

    assertThat(event).startsWith("Process hit its limit of 512 processes and threads: ");
    fixture.backend().stop(fixture.app(), "worker.1");
    assertThat(ProcScan.ofUid(USER.uid())).isEmpty();
  }

  @Test
  void runLongerThanTheResetTimeStartsANewCrashSeries() throws Exception {
    // Every reading of this clock is 61 s after the previous one: each run looks long-lived.
    AtomicLong seconds = new AtomicLong();
    InstantSource jumping = () -> Instant.ofEpochSecond(seconds.addAndGet(61));
    fixture.useBackend(s -> s.withClock(jumping).withRestartPolicy(new RestartPolicy(
        Duration.ZERO, Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(60))));
    fixture.backend().start(spec("worker", 1, "exit 1"));

    // Without the reset the second restart would wait 30 s.
    fixture.awaitState("worker.1", STARTING, 4, Duration.ofSeconds(10));
  }

  @Test
  void webInstanceNotBindingItsPortInTimeIsKilledAsCrashed() throws Exception {
    fixture.useBackend(s -> s.withBootTimeout(Duration.ofSeconds(1)));
    fixture.backend().start(spec("web", 1, "sleep 1000"));

    var crash = fixture.awaitState("web.1", CRASHED, 1, Duration.ofSeconds(10));

    assertThat(crash.reason())
        .isEqualTo("Web process failed to bind to $PORT within 1 second of launch");
  }

  @Test
  void withoutCgroupsStopStillEndsEveryProcess() throws Exception {
    fixture.useBackend(s -> s.withoutCgroups());
    String command = "sh -c 'trap \"\" TERM; sleep 1000' & node server.js";
    fixture.backend().start(spec("web", 1, command, Map.of(), Duration.ofSeconds(1)));
    fixture.awaitState("web.1", UP);
    Set<Long> pids = awaitPids("web.1", 5);
    assertThat(fixture.backend().usage(fixture.app(), "web.1")).isEmpty();

    fixture.backend().stop(fixture.app(), "web.1");

    assertThat(pids).noneMatch(LocalRuntimeBackendTest::running);
  }

  /** A policy whose first restart waits 30 s, so a crashed instance stays listed as crashed. */
  private static final RestartPolicy SLOW_RESTART =
      new RestartPolicy(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(60));

  @Test
  void anInstanceExitingWithACodeIsListedAsCrashedWithTheCodeItsLastOutputAndWhenItRestarts() throws Exception {
    fixture.useBackend(s -> s.withRestartPolicy(SLOW_RESTART));
    fixture.backend().start(spec("worker", 1, "echo starting; echo boom; exit 3"));

    fixture.awaitState("worker.1", CRASHED, 1, Duration.ofSeconds(10));
    InstanceStatus status = awaitStatus(s -> s.restartAt() != null);

    assertThat(status.state()).isEqualTo(CRASHED);
    assertThat(status.reason().kind()).isEqualTo(ExitReason.Kind.EXITED);
    assertThat(status.reason().words()).isEqualTo("exited with code 3");
    assertThat(status.reason().lastOutput()).containsExactly("starting", "boom");
    assertThat(status.restartAt()).isBetween(Instant.now().plusSeconds(20), Instant.now().plusSeconds(31));
  }

  @Test
  void aProcessKilledForMemoryIsListedAsOutOfMemoryNamingTheLimit() throws Exception {
    assumeTrue(fixture.cgroups().version() != Cgroups.Version.NONE, "cgroups are not available");
    fixture.useBackend(s -> s.withRestartPolicy(SLOW_RESTART));
    fixture.backend().start(new InstanceSpec(
        AppName.of(fixture.app()), ProcessType.of("worker"), 1, 1, fixture.serverSlug(),
        "node hog.js", Map.of(), USER, 64 * MB, Duration.ofSeconds(1)));

    fixture.awaitState("worker.1", CRASHED, 1, Duration.ofSeconds(20));
    ExitReason reason = fixture.single().reason();

    assertThat(reason.kind()).isEqualTo(ExitReason.Kind.OUT_OF_MEMORY);
    assertThat(reason.words()).isEqualTo("killed: out of memory (limit 64 MB)");
  }

  @Test
  void aWebInstanceNeverListeningIsListedAsNotListeningWithinTheBootTimeout() throws Exception {
    fixture.useBackend(s -> s.withRestartPolicy(SLOW_RESTART).withBootTimeout(Duration.ofSeconds(1)));
    fixture.backend().start(spec("web", 1, "echo warming up; sleep 1000"));

    fixture.awaitState("web.1", CRASHED, 1, Duration.ofSeconds(10));
    ExitReason reason = fixture.single().reason();

    assertThat(reason.kind()).isEqualTo(ExitReason.Kind.BOOT_TIMEOUT);
    assertThat(reason.words()).isEqualTo("did not listen on $PORT within 1 s");
    assertThat(reason.lastOutput()).containsExactly("warming up");
  }

  @Test
  void anInstanceStoppedByThePlatformIsListedAsStoppedNotCrashed() throws Exception {
    String command = "sh -c 'trap \"\" TERM; sleep 1000' & node server.js";
    fixture.backend().start(spec("web", 1, command, Map.of(), Duration.ofSeconds(3)));
    fixture.awaitState("web.1", UP);

    Thread stopper = Thread.ofVirtual().start(() -> fixture.backend().stop(fixture.app(), "web.1"));
    fixture.awaitState("web.1", STOPPING);
    InstanceStatus stopping = fixture.single();
    stopper.join(Duration.ofSeconds(15));

    assertThat(stopping.state()).isEqualTo(STOPPING);
    assertThat(stopping.reason().kind()).isEqualTo(ExitReason.Kind.STOPPED);
    assertThat(stopping.reason().crash()).isFalse();
    assertThat(stopping.reason().words()).isEqualTo("stopped by the platform");
    assertThat(fixture.changes("web.1")).extracting(RecordingListener.Change::to).doesNotContain(CRASHED);
  }

  @Test
  void anInstanceUpAgainAfterACrashNoLongerShowsTheCrashReason() throws Exception {
    fixture.backend().start(spec("web", 1, "node server.js"));
    fixture.awaitState("web.1", UP);
    get(fixture.single().port(), "/crash");

    fixture.awaitState("web.1", UP, 2, Duration.ofSeconds(15));

    assertThat(fixture.single().reason()).isNull();
    assertThat(fixture.single().restartAt()).isNull();
  }

  private InstanceSpec spec(String type, int index, String command) {
    return spec(type, index, command, Map.of());
  }

  private InstanceSpec spec(String type, int index, String command, Map<String, String> env) {
    return spec(type, index, command, env, Duration.ofSeconds(2));
  }

  private InstanceSpec spec(
      String type, int index, String command, Map<String, String> env, Duration grace) {
    return new InstanceSpec(
        AppName.of(fixture.app()), ProcessType.of(type), index, 1, fixture.serverSlug(),
        command, env, USER, 256 * MB, grace);
  }


  /** Waits until the single instance's status matches, and returns it. */
  private InstanceStatus awaitStatus(java.util.function.Predicate<InstanceStatus> match)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    InstanceStatus status = fixture.single();
    while (!match.test(status) && System.nanoTime() < deadline) {
      Thread.sleep(20);
      status = fixture.single();
    }
    return status;
  }

  /** Waits until the instance has at least {@code count} processes and returns their pids. */
  private Set<Long> awaitPids(String instance, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    Set<Long> pids = fixture.backend().pids(fixture.app(), instance);
    while (pids.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(50);
      pids = fixture.backend().pids(fixture.app(), instance);
    }
    assertThat(pids).hasSizeGreaterThanOrEqualTo(count);
    return pids;
  }

  /** True while the process exists and is not a zombie waiting to be reaped by the host's init. */
  private static boolean running(long pid) {
    return InstanceProcesses.running(pid);
  }

  private static String get(int port, String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }
}
