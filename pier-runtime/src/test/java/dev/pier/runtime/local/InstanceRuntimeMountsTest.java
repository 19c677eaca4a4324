package dev.pier.runtime.local;

import static dev.pier.model.InstanceState.COMPLETED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.AppName;
import dev.pier.model.ProcessType;
import dev.pier.runtime.InstanceSpec;
import dev.pier.runtime.RuntimeMount;
import dev.pier.sandbox.AppUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runtime mounts ({@link RuntimeMount}): a shared host directory every process of an instance sees
 * read-only outside /app, put back by its restore when missing at start.
 */
@Timeout(60)
class InstanceRuntimeMountsTest {
  private static final AppUser USER = new AppUser(61005, 61005);
  private static final long MB = 1 << 20;

  @RegisterExtension
  static final BackendFixture fixture =
      BackendFixture.inCgroup("pier-test-mounts").appsNamed("rm").bootTimeout(Duration.ofSeconds(1));

  @TempDir Path tmp;

  private Path runtimeDir() throws IOException {
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
    Path dir = tmp.resolve("runtime-1.0");
    Files.createDirectories(dir.resolve("bin"));
    Files.writeString(dir.resolve("bin/tool"), "#!/bin/sh\necho tool from the runtime\n");
    Files.setPosixFilePermissions(dir.resolve("bin/tool"), PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  @Test
  void theAppRunsWhatTheMountedRuntimeHoldsFirstOnItsPathButCannotWriteIntoIt() throws Exception {
    Path runtime = runtimeDir();
    fixture.backend().start(task("PATH=/opt/rt/bin:$PATH; tool; touch /opt/rt/bin/tool 2>/dev/null || echo read-only;"
        + " touch /opt/rt/new 2>/dev/null || echo no new files", List.of(new RuntimeMount(runtime, "/opt/rt", null))));

    fixture.awaitState("run.1", COMPLETED);

    assertThat(fixture.single().exitCode()).isZero();
    assertThat(fixture.lines("run.1")).extracting(RecordingListener.Line::text)
        .containsExactly("tool from the runtime", "read-only", "no new files");
    assertThat(Files.readString(runtime.resolve("bin/tool"))).contains("echo tool from the runtime");
    assertThat(runtime.resolve("new")).doesNotExist();
  }

  @Test
  void aMissingRuntimeIsRestoredBeforeTheProcessStarts() throws Exception {
    Path runtime = tmp.resolve("runtime-1.0");
    AtomicInteger restores = new AtomicInteger();
    RuntimeMount mount = new RuntimeMount(runtime, "/opt/rt", () -> {
      restores.incrementAndGet();
      runtimeDir();
    });
    fixture.backend().start(task("/opt/rt/bin/tool", List.of(mount)));

    fixture.awaitState("run.1", COMPLETED);

    assertThat(restores).hasValue(1);
    assertThat(fixture.single().exitCode()).isZero();
    assertThat(fixture.lines("run.1")).extracting(RecordingListener.Line::text).containsExactly("tool from the runtime");
  }

  @Test
  void aRuntimeThatCannotBeRestoredFailsTheStartWithTheRestoresReason() throws Exception {
    RuntimeMount mount = new RuntimeMount(tmp.resolve("gone"), "/opt/rt", () -> {
      throw new IOException("Node.js 22.23.5 is missing from DATA/runtimes/node and the registry could not be reached");
    });
    fixture.backend().start(task("echo never runs", List.of(mount)));

    var ended = fixture.awaitState("run.1", COMPLETED);

    assertThat(fixture.single().reason().words()).isEqualTo("failed to start: Node.js 22.23.5 is missing from"
        + " DATA/runtimes/node and the registry could not be reached");
    assertThat(ended.reason()).contains("is missing from DATA/runtimes/node");
    assertThat(fixture.lines("run.1")).isEmpty();
  }

  @Test
  void aRuntimeMountInsideAppIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RuntimeMount(tmp, "/app/.heroku/node", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside /app");
  }

  private InstanceSpec task(String command, List<RuntimeMount> mounts) {
    return new InstanceSpec(
        AppName.of(fixture.app()), ProcessType.of("run"), 1, 1, fixture.serverSlug(),
        command, Map.of(), USER, 256 * MB, Duration.ofSeconds(1)).withTask().withRuntimeMounts(mounts);
  }
}
