package dev.pier.runtime.local;

import static dev.pier.model.InstanceState.CRASHED;
import static dev.pier.model.InstanceState.UP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.model.AppName;
import dev.pier.model.ProcessType;
import dev.pier.runtime.ExitReason;
import dev.pier.runtime.InstanceSpec;
import dev.pier.runtime.InstanceStatus;
import dev.pier.runtime.ResourceUsage;
import dev.pier.sandbox.AppUser;
import dev.pier.sandbox.Cgroups;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Instance sizes and what the status tells a reconciler: CPU limits, a boot timeout of the
 * instance's own, the address, ready time and exit code. Real sandboxed processes as root, in
 * cgroups under {@code pier-test-size}; a backend whose default boot timeout is 20 s and whose
 * crashed instances wait 30 s before a restart.
 *
 * <p>The CPU tests measure CPU time, and while they measure, the class's cgroup base has the
 * largest CPU weight the kernel allows ({@link #favourTheTestsCgroups}): on a machine busy with
 * a dozen other runnable processes the base would otherwise weigh as one of them and get a
 * fraction of a core, too little for a quarter-core quota to be what holds an instance back.
 * Only while they measure (2 s), as the busy loops then leave little CPU to anything else.
 */
@Timeout(60)
class InstanceSizingTest {
  private static final AppUser USER = new AppUser(61004, 61004);
  private static final long MB = 1 << 20;
  /** Two shell busy loops: up to two cores without a limit. */
  private static final String BUSY = "while :; do :; done & while :; do :; done";
  private static final Duration SAMPLE = Duration.ofSeconds(2);
  /** The first restart of a crashed instance waits 30 s, so it stays listed as crashed. */
  private static final RestartPolicy SLOW_RESTART = new RestartPolicy(
      Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(60));

  private static final String BASE = "pier-test-size";

  @RegisterExtension
  static final BackendFixture fixture =
      BackendFixture.inCgroup(BASE).appsNamed("sz").restartPolicy(SLOW_RESTART);

  @Test
  void busyLoopsLimitedToAQuarterCoreUseWellUnderOneCore() throws Exception {
    assumeCpuController();
    fixture.backend().start(spec("worker", BUSY).withCpus(0.25));
    fixture.awaitState("worker.1", UP);

    double cores = coresUsed("worker.1");

    assertThat(cores).as("cores used by two busy loops limited to 0.25").isLessThan(0.6);
    ResourceUsage usage = fixture.backend().usage(fixture.app(), "worker.1").orElseThrow();
    assertThat(usage.cpus()).isEqualTo(0.25);
    assertThat(usage.memoryLimitBytes()).isEqualTo(256 * MB);
  }

  @Test
  void busyLoopsWithoutACpuLimitUseClearlyMoreThanLimitedOnesBesideThem() throws Exception {
    assumeCpuController();
    // Side by side, so whatever else the machine runs weighs on both alike.
    fixture.backend().start(spec("worker", BUSY).withCpus(0.25));
    fixture.backend().start(new InstanceSpec(
        AppName.of(fixture.app()), ProcessType.of("worker"), 2, 1, fixture.serverSlug(),
        BUSY, Map.of(), USER, 256 * MB, Duration.ofSeconds(1)));
    fixture.awaitState("worker.1", UP);
    fixture.awaitState("worker.2", UP);
    Thread.sleep(300); // both loops of both running

    long limited;
    long free;
    double limitedCores;
    try (var favoured = favourTheTestsCgroups()) {
      long limitedBefore = cpuNanos("worker.1");
      long freeBefore = cpuNanos("worker.2");
      long wallBefore = System.nanoTime();
      Thread.sleep(SAMPLE);
      limited = cpuNanos("worker.1") - limitedBefore;
      free = cpuNanos("worker.2") - freeBefore;
      limitedCores = (double) limited / (System.nanoTime() - wallBefore);
    }
    // Only when the quota is what holds the limited one back does the comparison mean anything;
    // on a machine so busy that even it gets less than its quota, the scheduler decides both.
    org.junit.jupiter.api.Assumptions.assumeTrue(limitedCores > 0.18,
        "the machine is too busy for the quarter-core quota to bind (it got " + limitedCores + " cores)");

    assertThat((double) free).as("CPU of the unlimited instance vs the one limited to 0.25")
        .isGreaterThan(1.5 * limited);
    assertThat(fixture.backend().usage(fixture.app(), "worker.2").orElseThrow().cpus()).isZero();
  }

  @Test
  void aWebInstanceWithItsOwnBootTimeoutIsReportedNotListeningWithinItLongBeforeTheDefault()
      throws Exception {
    long begin = System.nanoTime();
    fixture.backend().start(
        spec("web", "echo warming up; sleep 1000").withBootTimeout(Duration.ofSeconds(1)));

    var crash = fixture.awaitState("web.1", CRASHED, 1, Duration.ofSeconds(15));
    Duration took = Duration.ofNanos(System.nanoTime() - begin);
    ExitReason reason = fixture.single().reason();

    assertThat(took).as("time to the crash, the backend's default being 20 s").isLessThan(Duration.ofSeconds(10));
    assertThat(reason.kind()).isEqualTo(ExitReason.Kind.BOOT_TIMEOUT);
    assertThat(reason.words()).isEqualTo("did not listen on $PORT within 1 s");
    assertThat(reason.lastOutput()).containsExactly("warming up");
    assertThat(crash.reason()).isEqualTo("Web process failed to bind to $PORT within 1 second of launch");
  }

  @Test
  void statusGivesTheAddressToConnectToTheReadyTimeAndTheExitCodeOfACrash() throws Exception {
    fixture.backend().start(spec("web", "node server.js"));
    fixture.awaitState("web.1", UP);
    InstanceStatus up = fixture.single();

    assertThat(up.host()).isEqualTo("127.0.0.1");
    assertThat(up.readyAt()).isNotNull().isAfterOrEqualTo(up.startedAt());
    assertThat(up.exitCode()).isNull();
    assertThat(get(up.host(), up.port(), "/")).contains("\"dyno\":\"web.1\"");

    get(up.host(), up.port(), "/crash");
    fixture.awaitState("web.1", CRASHED, 1, Duration.ofSeconds(10));
    InstanceStatus crashed = fixture.single();

    assertThat(crashed.exitCode()).isEqualTo(3);
    assertThat(crashed.readyAt()).isNull();
    assertThat(crashed.reason().words()).isEqualTo("exited with code 3");
  }

  /** Cores the instance used on average over {@link #SAMPLE}, from its cgroup's CPU time. */
  private double coresUsed(String instance) throws InterruptedException, IOException {
    Thread.sleep(300); // both loops running
    try (var favoured = favourTheTestsCgroups()) {
      long cpuBefore = cpuNanos(instance);
      long wallBefore = System.nanoTime();
      Thread.sleep(SAMPLE);
      long cpu = cpuNanos(instance) - cpuBefore;
      long wall = System.nanoTime() - wallBefore;
      return (double) cpu / wall;
    }
  }

  private static long cpuNanos(String instance) {
    return fixture.backend().usage(fixture.app(), instance).orElseThrow().cpuNanos();
  }

  /**
   * Gives the class's cgroup base (parent of the instances' cgroups) the largest CPU weight:
   * 262144 shares on v1 (a plain process has 1024), 10000 on v2 (default 100). The instances in
   * it then get the machine's CPUs however many other processes compete, so what limits them is
   * their own quota (or none), as on a quiet machine. Their quotas are unaffected: a weight only
   * divides contended CPU time, a quota caps it. Closing puts the default weight back.
   */
  private static Favoured favourTheTestsCgroups() throws IOException {
    Path root = Path.of("/sys/fs/cgroup");
    Path file;
    String favoured;
    String normal;
    if (fixture.cgroups().version() == Cgroups.Version.V1) {
      file = root.resolve("cpu").resolve(BASE).resolve("cpu.shares");
      favoured = "262144";
      normal = "1024";
    } else {
      file = root.resolve(BASE).resolve("cpu.weight");
      favoured = "10000";
      normal = "100";
    }
    // Present once the instances' cgroups exist (v2: with the cpu controller enabled for them).
    if (!Files.exists(file)) return () -> { };
    Files.writeString(file, favoured);
    return () -> Files.writeString(file, normal);
  }

  /** An AutoCloseable whose close throws only IOException. */
  private interface Favoured extends AutoCloseable {
    @Override
    void close() throws IOException;
  }

  private void assumeCpuController() {
    assumeTrue(fixture.cgroups().version() != Cgroups.Version.NONE, "cgroups are not available");
    boolean cpu = fixture.cgroups().version() == Cgroups.Version.V1
        ? Files.exists(Path.of("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"))
        : readable("/sys/fs/cgroup/cgroup.controllers").contains("cpu");
    assumeTrue(cpu, "the cgroup CPU controller is not available");
  }

  private static String readable(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      return "";
    }
  }

  private InstanceSpec spec(String type, String command) {
    return new InstanceSpec(
        AppName.of(fixture.app()), ProcessType.of(type), 1, 1, fixture.serverSlug(),
        command, Map.of(), USER, 256 * MB, Duration.ofSeconds(1));
  }


  private static String get(String host, int port, String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
  }
}
