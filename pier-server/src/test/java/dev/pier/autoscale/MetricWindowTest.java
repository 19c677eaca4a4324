package dev.pier.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MetricWindowTest {
  private static final Instant T0 = Instant.parse("2026-12-07T05:00:00Z");

  private static LoadSample sample(int second, double concurrency, int ready) {
    return new LoadSample(T0.plusSeconds(second), concurrency, concurrency * 2, concurrency * 3, ready, 0);
  }

  @Test
  void averagesTheSamplesInsideTheWindowOnly() {
    MetricWindow window = new MetricWindow(Duration.ofSeconds(60));
    window.add(sample(2, 10, 1));
    window.add(sample(4, 20, 2));
    window.add(sample(6, 60, 2));

    MetricWindow.Average lastFour = window.average(Duration.ofSeconds(4), T0.plusSeconds(6)).orElseThrow();
    MetricWindow.Average all = window.average(Duration.ofSeconds(60), T0.plusSeconds(6)).orElseThrow();

    assertThat(lastFour).isEqualTo(new MetricWindow.Average(40, 80, 120, 2, 2));
    assertThat(all.value(Metric.CONCURRENCY)).isEqualTo(30);
    assertThat(all.value(Metric.RPS)).isEqualTo(60);
    assertThat(all.value(Metric.CPU)).isEqualTo(90);
    assertThat(all.samples()).isEqualTo(3);
  }

  @Test
  void forgetsSamplesOlderThanItsRetentionButRemembersTheLastRequest() {
    MetricWindow window = new MetricWindow(Duration.ofSeconds(6));
    window.add(sample(2, 5, 1));
    window.add(sample(10, 0, 1));
    window.add(sample(12, 0, 1));

    assertThat(window.average(Duration.ofHours(1), T0.plusSeconds(12)).orElseThrow().samples()).isEqualTo(2);
    assertThat(window.lastRequestAt()).contains(T0.plusSeconds(2));
    assertThat(window.quietSince()).contains(T0.plusSeconds(2));
    assertThat(window.observedSince()).contains(T0.plusSeconds(2));
  }

  @Test
  void aWindowThatNeverSawARequestIsQuietSinceItsFirstSample() {
    MetricWindow window = new MetricWindow(Duration.ofSeconds(6));
    assertThat(window.quietSince()).isEmpty();

    window.add(sample(4, 0, 1));

    assertThat(window.lastRequestAt()).isEmpty();
    assertThat(window.quietSince()).contains(T0.plusSeconds(4));
  }

  @Test
  void aHeldRequestCountsAsARequest() {
    MetricWindow window = new MetricWindow(Duration.ofSeconds(6));

    window.add(new LoadSample(T0, 0, 0, 0, 0, 1));

    assertThat(window.lastRequestAt()).contains(T0);
  }

  @Test
  void anEmptyWindowHasNoAverage() {
    MetricWindow window = new MetricWindow(Duration.ofSeconds(6));
    window.add(sample(2, 5, 1));

    assertThat(window.average(Duration.ofSeconds(6), T0.plusSeconds(30))).isEmpty();
  }

  @Test
  void aSampleOlderThanTheNewestIsRefused() {
    MetricWindow window = new MetricWindow(Duration.ofSeconds(6));
    window.add(sample(4, 5, 1));

    assertThatThrownBy(() -> window.add(sample(2, 5, 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("older than the last one");
  }

  @Test
  void aSampleWithANegativeOrInfiniteValueIsRefused() {
    assertThatThrownBy(() -> new LoadSample(T0, -1, 0, 0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LoadSample(T0, 0, Double.POSITIVE_INFINITY, 0, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LoadSample(T0, 0, 0, Double.NaN, 1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
