package dev.pier.runtime.local;

import static dev.pier.model.InstanceState.CRASHED;
import static dev.pier.model.InstanceState.UP;
import static dev.pier.testkit.HostDisks.loopDevicesUnder;
import static dev.pier.testkit.HostDisks.allocatedBytes;
import static dev.pier.testkit.HostDisks.awaitNoLoopDeviceUnder;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.AppName;
import dev.pier.model.ProcessType;
import dev.pier.runtime.DiskQuota;
import dev.pier.runtime.InstanceSpec;
import dev.pier.sandbox.AppUser;
import dev.pier.sandbox.Disks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Instances with disk quotas, as root with real loop-mounted disks, tmpfs and cgroups: what an app
 * writing too much sees, what the host keeps, and what is left after a stop or a dead server.
 */
@Timeout(90)
class InstanceDiskQuotaTest {
  private static final AppUser USER = new AppUser(61002, 61002);
  private static final long MB = 1 << 20;
  private static final DiskQuota SMALL = new DiskQuota(32 * MB, 32 * MB);
  private static final Pattern WROTE = Pattern.compile("wrote (\\d+)");

  @RegisterExtension
  static final BackendFixture fixture =
      BackendFixture.inCgroup("pier-test-disk").appsNamed("dq").loopDisks();

  @Test
  void instanceWritingTwiceItsQuotaIntoAppGetsNoSpaceLeftAtAboutTheQuotaAndTheHostDiskIsSpared()
      throws Exception {
    fixture.backend().start(worker("dd if=/dev/zero of=/app/fill bs=1M count=64 2>&1;"
        + " echo wrote $(stat -c %s /app/fill); sleep 600"));

    long written = awaitWritten();

    assertThat(written).isBetween(28 * MB, 32 * MB);
    assertThat(output()).anyMatch(line -> line.contains("No space left on device"));
    assertThat(allocatedBytes(fixture.runDir())).as("bytes of the data disk used by the instance")
        .isLessThanOrEqualTo(33 * MB);
    assertThat(fixture.awaitEvent("worker.1", m -> m.contains("/app"), Duration.ofSeconds(10)))
        .isEqualTo("worker.1 reached its disk quota of 32 MB on /app"
            + " (writing more there fails with 'No space left on device')");
  }

  @Test
  void instanceWritingTwiceItsQuotaIntoTmpGetsNoSpaceLeftAtTheQuota() throws Exception {
    fixture.backend().start(worker("dd if=/dev/zero of=/tmp/fill bs=1M count=64 2>&1;"
        + " echo wrote $(stat -c %s /tmp/fill); sleep 600"));

    long written = awaitWritten();

    assertThat(written).isBetween(31 * MB, 32 * MB);
    assertThat(output()).anyMatch(line -> line.contains("No space left on device"));
    assertThat(allocatedBytes(fixture.runDir())).as("/tmp is not on the data disk").isLessThan(2 * MB);
    assertThat(fixture.awaitEvent("worker.1", m -> m.contains("/tmp"), Duration.ofSeconds(10)))
        .startsWith("worker.1 reached its disk quota of 32 MB on /tmp");
  }

  @Test
  void aStoppedInstanceLeavesNoMountLoopDeviceOrImage() throws Exception {
    fixture.backend().start(worker("echo started; sleep 600"));
    fixture.awaitState("worker.1", UP);
    assertThat(mountedUnder(fixture.runDir())).hasSize(1);
    assertThat(imagesUnder(fixture.runDir())).hasSize(1);

    fixture.backend().stop(fixture.app(), "worker.1");

    assertThat(mountedUnder(fixture.runDir())).isEmpty();
    assertThat(imagesUnder(fixture.runDir())).isEmpty();
    awaitNoLoopDeviceUnder(fixture.runDir());
  }

  @Test
  void aRestartedInstanceGetsAFreshDiskAndTheOldOneIsGone() throws Exception {
    fixture.backend().start(worker("ls /app; echo x > /app/was-here; sleep 1; exit 3"));
    fixture.awaitState("worker.1", CRASHED, 2, Duration.ofSeconds(30));

    assertThat(output()).noneMatch(line -> line.contains("was-here"));
    assertThat(mountedUnder(fixture.runDir())).hasSizeLessThanOrEqualTo(1);
  }

  @Test
  void disksLeftByAKilledServerAreUnmountedAndDeletedWhenTheNextBackendStarts() throws Exception {
    fixture.backend().close();
    // What a SIGKILLed server leaves: an instance's disk, mounted, with the app's files on it.
    Path left = fixture.runDir().resolve(fixture.app()).resolve("web.1-g4").resolve("app");
    Files.writeString(Disks.loop().create(left, 16 * MB).dir().resolve("data"), "left behind");
    assertThat(mountedUnder(fixture.runDir())).containsExactly(left);

    fixture.reopenBackend();

    assertThat(mountedUnder(fixture.runDir())).isEmpty();
    assertThat(imagesUnder(fixture.runDir())).isEmpty();
    assertThat(fixture.runDir().resolve(fixture.app())).doesNotExist();
    awaitNoLoopDeviceUnder(fixture.runDir());
  }

  @Test
  void aSlugLargerThanTheQuotaFailsToStartSayingSo() throws Exception {
    Path big = Slug.create().file("big.txt", "x".repeat(12 << 20))
        .writeTo(fixture.slugs().resolve(fixture.app() + ".tar.gz"));
    fixture.backend().start(new InstanceSpec(AppName.of(fixture.app()), ProcessType.of("worker"), 1, 1, big,
        "sleep 600", Map.of(), USER, 256 * MB, Duration.ofSeconds(1)).withDisk(new DiskQuota(8 * MB, 0)));

    var crashed = fixture.awaitState("worker.1", CRASHED);

    assertThat(crashed.reason()).isEqualTo(
        "Failed to prepare the app directory: the unpacked slug does not fit in the disk quota of 8 MB on /app");
  }

  private InstanceSpec worker(String command) {
    return new InstanceSpec(AppName.of(fixture.app()), ProcessType.of("worker"), 1, 1, fixture.serverSlug(),
        command, Map.of(), USER, 256 * MB, Duration.ofSeconds(1)).withDisk(SMALL);
  }

  private List<String> output() {
    return fixture.lines("worker.1").stream().map(RecordingListener.Line::text).toList();
  }

  /** Waits for the "wrote N" line of the instance and returns N. */
  private long awaitWritten() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : output()) {
        Matcher m = WROTE.matcher(line);
        if (m.find()) return Long.parseLong(m.group(1));
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no 'wrote' line; output: " + output() + "; changes: " + fixture.changes("worker.1"));
  }

  static List<Path> mountedUnder(Path root) throws IOException {
    List<Path> points = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      Path point = Path.of(line.split(" ")[4]);
      if (point.startsWith(root) && !point.equals(root)) points.add(point);
    }
    return points;
  }

  static List<Path> imagesUnder(Path root) throws IOException {
    try (var files = Files.walk(root)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".img")).toList();
    }
  }



}
