package dev.pier.runtime.local;

import static dev.pier.model.InstanceState.COMPLETED;
import static dev.pier.model.InstanceState.STARTING;
import static dev.pier.model.InstanceState.STOPPING;
import static dev.pier.model.InstanceState.UP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.model.AppName;
import dev.pier.model.ProcessType;
import dev.pier.runtime.ExitReason;
import dev.pier.runtime.InstanceSpec;
import dev.pier.runtime.InstanceStatus;
import dev.pier.runtime.SlugSource;
import dev.pier.sandbox.AppUser;
import dev.pier.sandbox.Cgroups;
import dev.pier.sandbox.Sandbox;
import dev.pier.testkit.ProcScan;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Run-to-completion instances ({@code withTask()}): real sandboxed processes as root, in cgroups
 * under {@code pier-test-task}, with a backend that would restart a crashed service at once.
 */
@Timeout(60)
class InstanceTasksTest {
  private static final String CGROUP_BASE = "pier-test-task";
  private static final AppUser USER = new AppUser(61003, 61003);
  private static final long MB = 1 << 20;

  private static Path slugs;
  private static Path serverSlug;

  private Path runDir;
  private RecordingListener listener;
  private LocalRuntimeBackend backend;
  private String app;

  @BeforeAll
  static void buildSlug() throws IOException {
    slugs = Files.createTempDirectory("pier-task-slugs");
    serverSlug = Slug.nodeServer().writeTo(slugs.resolve("server.tar.gz"));
  }

  @AfterAll
  static void removeSlugs() throws IOException {
    InstanceDirectory.deleteTree(slugs);
    Cgroups.detect(CGROUP_BASE).release();
  }

  @BeforeEach
  void startBackend() throws IOException {
    runDir = Files.createTempDirectory("pier-task-run");
    listener = new RecordingListener();
    app = "tk-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
    // A 1 s boot timeout, and the first restart of a crashed service right away.
    LocalRuntimeBackend.Options options =
        new LocalRuntimeBackend.Options(
            Cgroups.detect(CGROUP_BASE), PortAllocator.defaultRange(), RestartPolicy.DEFAULT,
            Duration.ofSeconds(1));
    backend = new LocalRuntimeBackend(runDir, Sandbox.system(), listener, Clock.systemUTC(), options);
  }

  @AfterEach
  void stopBackend() throws IOException {
    backend.close();
    InstanceDirectory.deleteTree(runDir);
  }

  @Test
  void aTaskExitingWithCodeThreeIsListedCompletedWithItsCodeAndIsNeverRestarted() throws Exception {
    backend.start(task("worker", "echo migrating; echo done; exit 3"));

    var completed = listener.awaitState(app, "worker.1", COMPLETED);
    Thread.sleep(1500); // a service would have been started again by now

    InstanceStatus status = single();
    assertThat(status.state()).isEqualTo(COMPLETED);
    assertThat(status.exitCode()).isEqualTo(3);
    assertThat(status.reason().kind()).isEqualTo(ExitReason.Kind.EXITED);
    assertThat(status.reason().words()).isEqualTo("exited with code 3");
    assertThat(status.reason().lastOutput()).containsExactly("migrating", "done");
    assertThat(status.restarts()).isZero();
    assertThat(status.restartAt()).isNull();
    assertThat(status.readyAt()).isNull();
    assertThat(status.port()).isZero();
    assertThat(completed.reason()).isEqualTo("Process exited with status 3");
    assertThat(listener.changes(app, "worker.1"))
        .extracting(RecordingListener.Change::to)
        .containsExactly(STARTING, UP, COMPLETED);
    assertThat(listener.lines(app, "worker.1"))
        .extracting(RecordingListener.Line::text)
        .containsExactly("migrating", "done");
  }

  @Test
  void stoppingACompletedTaskRemovesItAndItsFiles() throws Exception {
    backend.start(task("worker", "exit 0"));
    listener.awaitState(app, "worker.1", COMPLETED);
    assertThat(single().exitCode()).isZero();

    backend.stop(app, "worker.1");

    assertThat(backend.list(app)).isEmpty();
    assertThat(listener.changes(app, "worker.1").getLast())
        .isEqualTo(new RecordingListener.Change(app, "worker.1", COMPLETED, null, "Removed"));
    assertThat(runDir.resolve(app)).doesNotExist();
  }

  @Test
  void aTaskKilledForItsMemoryIsCompletedWithTheOutOfMemoryReason() throws Exception {
    Cgroups cgroups = Cgroups.detect(CGROUP_BASE);
    assumeTrue(cgroups.version() != Cgroups.Version.NONE, "cgroups are not available");
    backend.start(new InstanceSpec(
        AppName.of(app), ProcessType.of("worker"), 1, 1, serverSlug, "node hog.js", Map.of(),
        USER, 64 * MB, Duration.ofSeconds(1)).withTask());

    listener.awaitState(app, "worker.1", COMPLETED, 1, Duration.ofSeconds(20));
    InstanceStatus status = single();

    assertThat(status.reason().kind()).isEqualTo(ExitReason.Kind.OUT_OF_MEMORY);
    assertThat(status.reason().words()).isEqualTo("killed: out of memory (limit 64 MB)");
    assertThat(status.exitCode()).isEqualTo(137);
  }

  @Test
  void aWebTaskIsUpAtOnceAndNotKilledForNeverListening() throws Exception {
    backend.start(task("web", "echo one-off; sleep 1000"));

    var up = listener.awaitState(app, "web.1", UP);
    Thread.sleep(2500); // past the backend's boot timeout of 1 s

    assertThat(up.reason()).startsWith("Process running (ready ").endsWith(" ms after start)");
    assertThat(single().state()).isEqualTo(UP);
    assertThat(single().readyAt()).isNotNull();
    assertThat(single().exitCode()).isNull();
  }

  @Test
  void aRunningTaskStoppedByThePlatformIsStoppedNotCompleted() throws Exception {
    backend.start(task("worker", "sh -c 'trap \"\" TERM; sleep 1000' & sleep 1000"));
    listener.awaitState(app, "worker.1", UP);

    Thread stopper = Thread.ofVirtual().start(() -> backend.stop(app, "worker.1"));
    listener.awaitState(app, "worker.1", STOPPING);
    InstanceStatus stopping = single();
    stopper.join(Duration.ofSeconds(15));

    assertThat(stopping.reason().kind()).isEqualTo(ExitReason.Kind.STOPPED);
    assertThat(stopping.reason().words()).isEqualTo("stopped by the platform");
    assertThat(backend.list(app)).isEmpty();
    assertThat(listener.changes(app, "worker.1"))
        .extracting(RecordingListener.Change::to)
        .containsExactly(STARTING, UP, STOPPING, null);
    assertThat(ProcScan.ofUid(USER.uid())).isEmpty();
  }

  @Test
  void aTaskRunsFromASlugThatIsOnlyAStreamNotAFile() throws Exception {
    Path file = Slug.create().file("greeting.txt", "hello from the stream\n")
        .writeTo(slugs.resolve(app + ".tar.gz"));
    byte[] bytes = Files.readAllBytes(file);
    Files.delete(file);
    SlugSource stream = new SlugSource() {
      @Override
      public InputStream open() {
        return new ByteArrayInputStream(bytes);
      }

      @Override
      public String digest() {
        return "sha256:unused";
      }
    };
    backend.start(task("worker", "cat greeting.txt").withSlugSource(stream));

    listener.awaitState(app, "worker.1", COMPLETED);

    assertThat(single().exitCode()).isZero();
    assertThat(listener.lines(app, "worker.1"))
        .extracting(RecordingListener.Line::text)
        .containsExactly("hello from the stream");
  }

  private InstanceSpec task(String type, String command) {
    return new InstanceSpec(
        AppName.of(app), ProcessType.of(type), 1, 1, serverSlug, command, Map.of(), USER, 256 * MB,
        Duration.ofSeconds(1)).withTask();
  }

  private InstanceStatus single() {
    List<InstanceStatus> list = backend.list(app);
    assertThat(list).hasSize(1);
    return list.getFirst();
  }
}
