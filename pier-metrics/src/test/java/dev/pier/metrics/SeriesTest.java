package dev.pier.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeriesTest {
  private static final Duration TEN_S = Duration.ofSeconds(10);

  @TempDir Path dir;
  private final MutableClock clock = MutableClock.at("2025-03-01T12:00:00Z");

  private void requests(Metrics metrics, int count, long ms, int status) {
    for (int i = 0; i < count; i++) {
      metrics.recordRequest("shop", 1, "GET", "/items/" + i, status, ms, 100);
    }
  }

  private void tick(Metrics metrics) {
    clock.advance(TEN_S);
    metrics.tick();
  }

  @Test
  void percentilesOfAKnownDistributionMatchWithinHistogramPrecision() {
    try (Metrics metrics = new Metrics(dir, clock)) {
      requests(metrics, 890, 10, 200);
      requests(metrics, 90, 100, 200);
      requests(metrics, 20, 1000, 200);
      tick(metrics);

      Latency latency = metrics.series("shop", Duration.ofMinutes(5)).get(0).stats().latency();
      assertThat(latency.p50Ms()).isCloseTo(10, within(1L));
      assertThat(latency.p95Ms()).isCloseTo(100, within(1L));
      assertThat(latency.p99Ms()).isCloseTo(1000, within(1L));
      assertThat(latency.maxMs()).isCloseTo(1000, within(1L));
      assertThat(latency.meanMs()).isCloseTo((890 * 10 + 90 * 100 + 20 * 1000) / 1000.0, within(0.1));
    }
  }

  @Test
  void percentileIsTheValueAtItsRankNotAnInterpolation() {
    // 900 x 10 ms, 90 x 100 ms, 10 x 1000 ms: the 990th of 1000 values is still 100 ms.
    try (Metrics metrics = new Metrics(dir, clock)) {
      requests(metrics, 900, 10, 200);
      requests(metrics, 90, 100, 200);
      requests(metrics, 10, 1000, 200);
      tick(metrics);

      Latency latency = metrics.summary("shop", Duration.ofMinutes(1)).total().latency();
      assertThat(latency.p50Ms()).isEqualTo(10);
      assertThat(latency.p95Ms()).isEqualTo(100);
      assertThat(latency.p99Ms()).isEqualTo(100);
      assertThat(latency.maxMs()).isEqualTo(1000);
    }
  }

  @Test
  void eachTickAddsATenSecondPointWithItsOwnCountsAndRate() {
    try (Metrics metrics = new Metrics(dir, clock)) {
      requests(metrics, 30, 5, 200);
      requests(metrics, 2, 5, 404);
      tick(metrics);
      tick(metrics); // idle window
      requests(metrics, 10, 5, 503);
      tick(metrics);

      List<Point> points = metrics.series("shop", Duration.ofHours(1));
      assertThat(points).extracting(Point::time).containsExactly(
          Instant.parse("2025-03-01T12:00:10Z"),
          Instant.parse("2025-03-01T12:00:20Z"),
          Instant.parse("2025-03-01T12:00:30Z"));
      assertThat(points).extracting(Point::resolution).containsOnly(TEN_S);
      Stats first = points.get(0).stats();
      assertThat(first.requests()).isEqualTo(32);
      assertThat(first.requestsPerMinute()).isEqualTo(192.0);
      assertThat(first.status()).isEqualTo(new StatusCounts(0, 30, 0, 2, 0));
      assertThat(first.bytes()).isEqualTo(3200);
      assertThat(points.get(1).stats().requests()).isZero();
      assertThat(points.get(2).stats().status().s5xx()).isEqualTo(10);
      assertThat(points.get(2).stats().errorRate()).isEqualTo(1.0);
    }
  }

  @Test
  void minutePointsMergeTheirSixWindowsHistogramsInsteadOfAveragingPercentiles() {
    try (Metrics metrics = new Metrics(dir, clock)) {
      requests(metrics, 10, 1000, 200);
      tick(metrics);
      for (int window = 0; window < 5; window++) {
        requests(metrics, 18, 10, 200);
        tick(metrics);
      }
      requests(metrics, 7, 20, 500); // first window of the next minute
      tick(metrics);

      List<Point> minutes = metrics.series("shop", Duration.ofHours(2));
      assertThat(minutes).hasSize(1);
      Point minute = minutes.get(0);
      assertThat(minute.time()).isEqualTo(Instant.parse("2025-03-01T12:01:00Z"));
      assertThat(minute.resolution()).isEqualTo(Duration.ofMinutes(1));
      assertThat(minute.stats().requests()).isEqualTo(100);
      assertThat(minute.stats().requestsPerMinute()).isEqualTo(100.0);
      // 90 requests at 10 ms and 10 at 1000 ms: p95 of the minute is 1000 ms, whereas the mean
      // of the windows' p95s would be (1000 + 5 x 10) / 6 = 175 ms.
      assertThat(minute.stats().latency().p50Ms()).isEqualTo(10);
      assertThat(minute.stats().latency().p95Ms()).isEqualTo(1000);
      assertThat(metrics.series("shop", Duration.ofHours(1))).hasSize(7);
    }
  }

  @Test
  void summaryMergesTheRangeAndSplitsItByVersion() {
    try (Metrics metrics = new Metrics(dir, clock)) {
      for (int i = 0; i < 60; i++) metrics.recordRequest("shop", 1, "GET", "/", 200, 10, 10);
      tick(metrics);
      for (int i = 0; i < 30; i++) metrics.recordRequest("shop", 2, "GET", "/", 500, 300, 20);
      for (int i = 0; i < 10; i++) metrics.recordRequest("shop", 2, "GET", "/", 200, 300, 20);
      tick(metrics);

      Summary summary = metrics.summary("shop", Duration.ofMinutes(30));
      assertThat(summary.to()).isEqualTo(clock.instant());
      assertThat(summary.from()).isEqualTo(clock.instant().minus(Duration.ofMinutes(30)));
      assertThat(summary.total().requests()).isEqualTo(100);
      assertThat(summary.total().requestsPerMinute()).isEqualTo(300.0); // 100 in 20 s observed
      assertThat(summary.total().errorRate()).isEqualTo(0.3);
      assertThat(summary.total().latency().p50Ms()).isEqualTo(10);
      assertThat(summary.total().latency().p95Ms()).isEqualTo(300);
      assertThat(summary.total().bytes()).isEqualTo(60 * 10 + 40 * 20);
      assertThat(summary.byVersion()).containsOnlyKeys(1, 2);
      assertThat(summary.byVersion().get(1).requests()).isEqualTo(60);
      assertThat(summary.byVersion().get(1).errorRate()).isZero();
      assertThat(summary.byVersion().get(2).requests()).isEqualTo(40);
      assertThat(summary.byVersion().get(2).errorRate()).isEqualTo(0.75);
      assertThat(summary.byVersion().get(2).latency().p50Ms()).isEqualTo(300);

      assertThat(metrics.summary("shop", Duration.ofSeconds(10)).total().requests()).isEqualTo(40);
    }
  }

  @Test
  void summaryBeyondAnHourUsesMinutesPlusTheMinuteInProgress() {
    try (Metrics metrics = new Metrics(dir, clock)) {
      for (int window = 0; window < 8; window++) {
        requests(metrics, 10, 50, 200);
        tick(metrics);
      }
      assertThat(metrics.series("shop", Duration.ofHours(3))).hasSize(1);
      Summary day = metrics.summary("shop", Duration.ofHours(24));
      assertThat(day.total().requests()).isEqualTo(80);
      assertThat(day.total().latency().p50Ms()).isEqualTo(50);
    }
  }

  @Test
  void retentionIsBoundedToAnHourOfTenSecondPointsAndADayOfMinutes() {
    try (Metrics metrics = new Metrics(dir, clock)) {
      for (int window = 0; window < 25 * 360 + 3; window++) {
        if (window % 100 == 0) requests(metrics, 1, 5, 200);
        tick(metrics);
      }
      assertThat(metrics.series("shop", Duration.ofHours(1))).hasSize(360);
      List<Point> day = metrics.series("shop", Duration.ofHours(24));
      assertThat(day).hasSize(1440);
      assertThat(day.get(day.size() - 1).time()).isEqualTo(
          clock.instant().truncatedTo(ChronoUnit.MINUTES));
    }
  }

  @Test
  void unknownAppHasEmptySeriesAndZeroSummary() {
    try (Metrics metrics = new Metrics(dir, clock)) {
      assertThat(metrics.series("nobody", Duration.ofHours(1))).isEmpty();
      assertThat(metrics.summary("nobody", Duration.ofHours(1)).total().requests()).isZero();
      assertThat(metrics.transactions("nobody")).isEmpty();
      assertThat(metrics.instances("nobody")).isEmpty();
    }
  }

  @Test
  void concurrentRecordersLoseNoRequest() throws Exception {
    try (Metrics metrics = new Metrics(dir, clock)) {
      Thread[] threads = new Thread[4];
      for (int t = 0; t < threads.length; t++) {
        int version = t % 2 + 1;
        threads[t] = new Thread(() -> {
          for (int i = 0; i < 50_000; i++) {
            metrics.recordRequest("shop", version, "GET", "/items/" + (i % 50), 200, i % 100, 1);
          }
        });
        threads[t].start();
      }
      for (Thread thread : threads) thread.join(30_000);
      tick(metrics);
      Summary summary = metrics.summary("shop", Duration.ofMinutes(1));
      assertThat(summary.total().requests()).isEqualTo(200_000);
      assertThat(summary.byVersion().get(1).requests()).isEqualTo(100_000);
      assertThat(metrics.transactions("shop")).singleElement()
          .satisfies(t -> assertThat(t.count()).isEqualTo(200_000));
    }
  }
}
