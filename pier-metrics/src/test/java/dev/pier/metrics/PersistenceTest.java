package dev.pier.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistenceTest {
  @TempDir Path dir;
  private final MutableClock clock = MutableClock.at("2025-03-01T12:00:00Z");

  private void traffic(Metrics metrics, int windows) {
    for (int w = 0; w < windows; w++) {
      for (int i = 0; i < 20; i++) {
        metrics.recordRequest("shop", 3, "GET", "/p/" + i, i == 0 ? 500 : 200, 10L * (i + 1), 50);
      }
      metrics.recordInstance("shop", "shop.web.1", 3, 64 << 20, (w + 1) * 2_000_000_000L, 0);
      clock.advance(Duration.ofSeconds(10));
      metrics.tick();
    }
  }

  @Test
  void seriesAndSummariesSurviveARestartOnTheSameDirectory() {
    List<Point> fine;
    List<Point> minutes;
    Summary summary;
    try (Metrics metrics = new Metrics(dir, clock)) {
      traffic(metrics, 15);
      fine = metrics.series("shop", Duration.ofHours(1));
      minutes = metrics.series("shop", Duration.ofHours(24));
      summary = metrics.summary("shop", Duration.ofHours(1));
    }
    assertThat(fine).hasSize(15);
    assertThat(minutes).hasSize(2);

    try (Metrics restarted = new Metrics(dir, clock)) {
      assertThat(restarted.series("shop", Duration.ofHours(1))).isEqualTo(fine);
      assertThat(restarted.series("shop", Duration.ofHours(24))).isEqualTo(minutes);
      assertThat(restarted.summary("shop", Duration.ofHours(1))).isEqualTo(summary);
      assertThat(summary.total().latency().p99Ms()).isEqualTo(200);
      assertThat(minutes.get(0).memoryRssBytes()).isEqualTo(64 << 20);
    }
  }

  @Test
  void aRenamedAppKeepsItsSeriesUnderTheNewNameAndTheOldNameHasNone() {
    try (Metrics metrics = new Metrics(dir, clock)) {
      traffic(metrics, 3);
      List<Point> before = metrics.series("shop", Duration.ofHours(1));

      metrics.renameApp("shop", "new-shop");

      assertThat(metrics.series("new-shop", Duration.ofHours(1))).isEqualTo(before).hasSize(3);
      assertThat(metrics.series("shop", Duration.ofHours(1))).isEmpty();
      assertThat(Files.exists(dir.resolve("shop.metrics"))).isFalse();
    }
    try (Metrics restarted = new Metrics(dir, clock)) {
      assertThat(restarted.series("new-shop", Duration.ofHours(1))).hasSize(3);
    }
  }

  @Test
  void completedMinutesArePersistedWithoutWaitingForClose() {
    Metrics crashed = new Metrics(dir, clock);
    traffic(crashed, 7); // minute 12:01 complete at the 6th tick, 7th window in progress

    Metrics restarted = new Metrics(dir, clock);
    assertThat(restarted.series("shop", Duration.ofHours(24)))
        .singleElement()
        .satisfies(p -> assertThat(p.stats().requests()).isEqualTo(120));
    assertThat(restarted.series("shop", Duration.ofHours(1))).hasSize(6);
  }

  @Test
  void seriesContinueAfterARestartAndTheNextMinuteRollsUp() {
    try (Metrics metrics = new Metrics(dir, clock)) {
      traffic(metrics, 9);
    }
    try (Metrics restarted = new Metrics(dir, clock)) {
      traffic(restarted, 3); // completes minute 12:02
      List<Point> minutes = restarted.series("shop", Duration.ofHours(24));
      assertThat(minutes).hasSize(2);
      assertThat(minutes.get(1).stats().requests()).isEqualTo(120);
      assertThat(restarted.series("shop", Duration.ofHours(1))).hasSize(12);
    }
  }

  @Test
  void deletedAppLosesItsSeriesAndFile() {
    try (Metrics metrics = new Metrics(dir, clock)) {
      traffic(metrics, 6);
      assertThat(dir.resolve("shop.metrics")).exists();
      metrics.deleteApp("shop");
      assertThat(metrics.series("shop", Duration.ofHours(1))).isEmpty();
      assertThat(dir.resolve("shop.metrics")).doesNotExist();
    }
    try (Metrics restarted = new Metrics(dir, clock)) {
      assertThat(restarted.series("shop", Duration.ofHours(1))).isEmpty();
    }
  }

  @Test
  void corruptFileIsIgnoredAndOtherAppsStillLoad() throws Exception {
    try (Metrics metrics = new Metrics(dir, clock)) {
      traffic(metrics, 1);
    }
    Files.writeString(dir.resolve("broken.metrics"), "garbage");
    try (Metrics restarted = new Metrics(dir, clock)) {
      assertThat(restarted.series("shop", Duration.ofHours(1))).hasSize(1);
      assertThat(restarted.series("broken", Duration.ofHours(1))).isEmpty();
    }
  }

  @Test
  void metricsFilesAndTheirDirectoryAreOwnerOnly() throws Exception {
    Path metricsDir = dir.resolve("metrics");
    Files.createDirectories(metricsDir);
    Files.setPosixFilePermissions(metricsDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (Metrics metrics = new Metrics(metricsDir, clock)) {
      traffic(metrics, 1);
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(metricsDir))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(metricsDir.resolve("shop.metrics"))))
        .isEqualTo("rw-------");
  }
}
