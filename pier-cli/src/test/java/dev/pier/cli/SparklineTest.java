package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SparklineTest {
  @Test
  void theLargestValueIsAFullBarAndZeroTheLowest() {
    assertThat(Sparkline.of(List.of(0.0, 7.0, 14.0), 60)).isEqualTo("▁▅█");
  }

  @Test
  void allZeroesAreLowBars() {
    assertThat(Sparkline.of(List.of(0.0, 0.0), 60)).isEqualTo("▁▁");
  }

  @Test
  void missingValuesAreSpaces() {
    assertThat(Sparkline.of(Arrays.asList(1.0, null, 1.0), 60)).isEqualTo("█ █");
  }

  @Test
  void longSeriesAreSqueezedKeepingSpikes() {
    List<Double> hour = new ArrayList<>();
    for (int i = 0; i < 360; i++) {
      hour.add(i == 100 ? 50.0 : 1.0);
    }

    String chart = Sparkline.of(hour, 60);

    assertThat(chart).hasSize(60);
    assertThat(chart.charAt(16)).isEqualTo('█');
    assertThat(chart.replace("█", "")).matches("▁{59}");
  }
}
