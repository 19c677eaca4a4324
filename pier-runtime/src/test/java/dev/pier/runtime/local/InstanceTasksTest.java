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
import dev.pier.testkit.ProcScan;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Run-to-completion instances ({@code withTask()}): real sandboxed processes as root, in cgroups
 * under {@code pier-test-task}, with a backend that would restart a crashed service at once.
 */
@Timeout(60)
class InstanceTasksTest {
  private static final AppUser USER = new AppUser(61003, 61003);
  private static final long MB = 1 << 20;

  @RegisterExtension
  static final BackendFixture fixture =
      BackendFixture.inCgroup("pier-test-task").appsNamed("tk").bootTimeout(Duration.ofSeconds(1));

  @Test
  void aTaskExitingWithCodeThreeIsListedCompletedWithItsCodeAndIsNeverRestarted() throws Exception {
    fixture.backend().start(task("worker", "echo migrating; echo done; exit 3"));

    var completed = fixture.awaitState("worker.1", COMPLETED);
    Thread.sleep(1500); // a service would have been started again by now

    InstanceStatus status = fixture.single();
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
    assertThat(fixture.changes("worker.1"))
        .extracting(RecordingListener.Change::to)
        .containsExactly(STARTING, UP, COMPLETED);
    assertThat(fixture.lines("worker.1"))
        .extracting(RecordingListener.Line::text)
        .containsExactly("migrating", "done");
  }

  @Test
  void stoppingACompletedTaskRemovesItAndItsFiles() throws Exception {
    fixture.backend().start(task("worker", "exit 0"));
    fixture.awaitState("worker.1", COMPLETED);
    assertThat(fixture.single().exitCode()).isZero();

    fixture.backend().stop(fixture.app(), "worker.1");

    assertThat(fixture.backend().list(fixture.app())).isEmpty();
    assertThat(fixture.changes("worker.1").getLast())
        .isEqualTo(new RecordingListener.Change(fixture.app(), "worker.1", COMPLETED, null, "Removed"));
    assertThat(fixture.runDir().resolve(fixture.app())).doesNotExist();
  }

  @Test
  void aTaskKilledForItsMemoryIsCompletedWithTheOutOfMemoryReason() throws Exception {
    assumeTrue(fixture.cgroups().version() != Cgroups.Version.NONE, "cgroups are not available");
    fixture.backend().start(new InstanceSpec(
        AppName.of(fixture.app()), ProcessType.of("worker"), 1, 1, fixture.serverSlug(),
        "node hog.js", Map.of(), USER, 64 * MB, Duration.ofSeconds(1)).withTask());

    fixture.awaitState("worker.1", COMPLETED, 1, Duration.ofSeconds(20));
    InstanceStatus status = fixture.single();

    assertThat(status.reason().kind()).isEqualTo(ExitReason.Kind.OUT_OF_MEMORY);
    assertThat(status.reason().words()).isEqualTo("killed: out of memory (limit 64 MB)");
    assertThat(status.exitCode()).isEqualTo(137);
  }

  @Test
  void aWebTaskIsUpAtOnceAndNotKilledForNeverListening() throws Exception {
    fixture.backend().start(task("web", "echo one-off; sleep 1000"));

    var up = fixture.awaitState("web.1", UP);
    Thread.sleep(2500); // past the backend's boot timeout of 1 s

    assertThat(up.reason()).startsWith("Process running (ready ").endsWith(" ms after start)");
    assertThat(fixture.single().state()).isEqualTo(UP);
    assertThat(fixture.single().readyAt()).isNotNull();
    assertThat(fixture.single().exitCode()).isNull();
  }

  @Test
  void aRunningTaskStoppedByThePlatformIsStoppedNotCompleted() throws Exception {
    fixture.backend().start(task("worker", "sh -c 'trap \"\" TERM; sleep 1000' & sleep 1000"));
    fixture.awaitState("worker.1", UP);

    Thread stopper = Thread.ofVirtual().start(() -> fixture.backend().stop(fixture.app(), "worker.1"));
    fixture.awaitState("worker.1", STOPPING);
    InstanceStatus stopping = fixture.single();
    stopper.join(Duration.ofSeconds(15));

    assertThat(stopping.reason().kind()).isEqualTo(ExitReason.Kind.STOPPED);
    assertThat(stopping.reason().words()).isEqualTo("stopped by the platform");
    assertThat(fixture.backend().list(fixture.app())).isEmpty();
    assertThat(fixture.changes("worker.1"))
        .extracting(RecordingListener.Change::to)
        .containsExactly(STARTING, UP, STOPPING, null);
    assertThat(ProcScan.ofUid(USER.uid())).isEmpty();
  }

  @Test
  void aTaskRunsFromASlugThatIsOnlyAStreamNotAFile() throws Exception {
    Path file = Slug.create().file("greeting.txt", "hello from the stream\n")
        .writeTo(fixture.slugs().resolve(fixture.app() + ".tar.gz"));
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
    fixture.backend().start(task("worker", "cat greeting.txt").withSlugSource(stream));

    fixture.awaitState("worker.1", COMPLETED);

    assertThat(fixture.single().exitCode()).isZero();
    assertThat(fixture.lines("worker.1"))
        .extracting(RecordingListener.Line::text)
        .containsExactly("hello from the stream");
  }

  private InstanceSpec task(String type, String command) {
    return new InstanceSpec(
        AppName.of(fixture.app()), ProcessType.of(type), 1, 1, fixture.serverSlug(),
        command, Map.of(), USER, 256 * MB, Duration.ofSeconds(1)).withTask();
  }

}
