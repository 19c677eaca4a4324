package dev.pier.metrics;

import dev.pier.testkit.SmallDisk;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metrics persisted on a real 4 MB file system that a filler fills up, then frees. */
class DiskFullTest {
  @TempDir Path tmp;
  private SmallDisk disk;
  private Path dir;
  private final MutableClock clock = MutableClock.at("2025-03-01T12:00:00Z");
  private final ByteArrayOutputStream serverLog = new ByteArrayOutputStream();
  private PrintStream stderr;

  @BeforeEach
  void mountSmallDiskAndCaptureTheLog() throws Exception {
    disk = SmallDisk.mount(tmp.resolve("disk"), 4);
    dir = disk.root().resolve("metrics");
    stderr = System.err;
    System.setErr(new PrintStream(serverLog, true, StandardCharsets.UTF_8)); // slf4j-simple writes here
  }

  @AfterEach
  void unmount() throws Exception {
    System.setErr(stderr);
    if (disk != null) disk.close();
  }

  private void traffic(Metrics metrics, int windows) {
    for (int w = 0; w < windows; w++) {
      for (int i = 0; i < 20; i++) metrics.recordRequest("shop", 1, "GET", "/p/" + i, 200, 10L * (i + 1), 50);
      clock.advance(Duration.ofSeconds(10));
      metrics.tick();
    }
  }

  private long logLines(String text) {
    return serverLog.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(text)).count();
  }

  @Test
  void aFullDiskKeepsTheLastSavedFileIntactWarnsOnceAndSavesAgainWhenSpaceReturns() throws Exception {
    Path file = dir.resolve("shop.metrics");
    Metrics metrics = new Metrics(dir, clock);
    traffic(metrics, 6); // minute 12:01 rolled up and saved
    byte[] saved = Files.readAllBytes(file);

    disk.fill();
    traffic(metrics, 12); // two more minutes, and every tick tries again: all fail
    assertThat(metrics.series("shop", Duration.ofHours(1))).hasSize(18); // kept in memory
    assertThat(Files.readAllBytes(file)).isEqualTo(saved);
    assertThat(dir.resolve("shop.metrics.tmp")).doesNotExist();
    assertThat(logLines("cannot persist metrics")).isEqualTo(1);
    try (Metrics restarted = new Metrics(dir, clock)) {
      assertThat(restarted.series("shop", Duration.ofHours(24))).hasSize(1); // the old file still reads
    }

    disk.free();
    traffic(metrics, 1); // the next tick saves without waiting for a new minute
    assertThat(logLines("metrics are persisted again")).isEqualTo(1);
    List<Point> fine = metrics.series("shop", Duration.ofHours(1));
    try (Metrics restarted = new Metrics(dir, clock)) {
      assertThat(restarted.series("shop", Duration.ofHours(1))).isEqualTo(fine).hasSize(19);
      assertThat(restarted.series("shop", Duration.ofHours(24))).hasSize(3);
    }
  }
}
