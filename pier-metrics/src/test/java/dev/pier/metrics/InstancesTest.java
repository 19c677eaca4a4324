package dev.pier.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstancesTest {
  @TempDir Path dir;
  private final MutableClock clock = MutableClock.at("2025-03-01T12:00:00Z");

  @Test
  void cpuLoadIsTheCumulativeCounterDeltaPerElapsedSecond() {
    try (Metrics metrics = new Metrics(dir, clock)) {
      metrics.recordInstance("shop", "shop.web.1", 4, 100_000_000, 1_000_000_000L, 0);
      assertThat(metrics.instances("shop")).singleElement()
          .satisfies(s -> assertThat(s.cpuLoad()).isZero());

      clock.advance(Duration.ofSeconds(10));
      metrics.recordInstance("shop", "shop.web.1", 4, 120_000_000, 6_000_000_000L, 0);
      InstanceSample sample = metrics.instances("shop").get(0);
      assertThat(sample.cpuLoad()).isCloseTo(0.5, within(1e-9));
      assertThat(sample.rssBytes()).isEqualTo(120_000_000);
      assertThat(sample.version()).isEqualTo(4);
      assertThat(sample.time()).isEqualTo(clock.instant());
    }
  }

  @Test
  void counterGoingBackwardsAfterARestartGivesZeroLoadNotANegativeOne() {
    try (Metrics metrics = new Metrics(dir, clock)) {
      metrics.recordInstance("shop", "shop.web.1", 4, 1, 9_000_000_000L, 0);
      clock.advance(Duration.ofSeconds(10));
      metrics.recordInstance("shop", "shop.web.1", 4, 1, 100_000_000L, 1);
      InstanceSample sample = metrics.instances("shop").get(0);
      assertThat(sample.cpuLoad()).isZero();
      assertThat(sample.restarts()).isEqualTo(1);
      clock.advance(Duration.ofSeconds(10));
      metrics.recordInstance("shop", "shop.web.1", 4, 1, 20_100_000_000L, 1);
      assertThat(metrics.instances("shop").get(0).cpuLoad()).isCloseTo(2.0, within(1e-9));
    }
  }

  @Test
  void pointsCarryTotalMemoryAndCpuOfTheAppsInstances() {
    try (Metrics metrics = new Metrics(dir, clock)) {
      for (String instance : List.of("shop.web.1", "shop.web.2")) {
        metrics.recordInstance("shop", instance, 1, 50_000_000, 0, 0);
      }
      clock.advance(Duration.ofSeconds(10));
      metrics.recordInstance("shop", "shop.web.1", 1, 60_000_000, 2_500_000_000L, 0);
      metrics.recordInstance("shop", "shop.web.2", 1, 40_000_000, 7_500_000_000L, 0);
      metrics.tick();

      Point point = metrics.series("shop", Duration.ofMinutes(1)).get(0);
      assertThat(point.memoryRssBytes()).isEqualTo(100_000_000);
      assertThat(point.cpuLoad()).isCloseTo(1.0, within(1e-9));
    }
  }

  @Test
  void instancesNoLongerSampledAreForgotten() {
    try (Metrics metrics = new Metrics(dir, clock)) {
      metrics.recordInstance("shop", "shop.web.1", 1, 1, 0, 0);
      metrics.recordInstance("shop", "shop.web.2", 1, 1, 0, 0);
      for (int i = 0; i < 13; i++) {
        clock.advance(Duration.ofSeconds(10));
        metrics.recordInstance("shop", "shop.web.1", 1, 1, 0, 0);
        metrics.tick();
      }
      assertThat(metrics.instances("shop")).extracting(InstanceSample::instance)
          .containsExactly("shop.web.1");
    }
  }
}
