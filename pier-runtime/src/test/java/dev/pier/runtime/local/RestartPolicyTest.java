package dev.pier.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {
  private final RestartPolicy policy = RestartPolicy.DEFAULT;

  @Test
  void firstCrashRestartsImmediatelyThenDelaysDoubleUpToFiveMinutes() {
    assertThat(IntStream.rangeClosed(1, 12).mapToObj(policy::delayAfter).map(Duration::toSeconds))
        .containsExactly(0L, 1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 300L, 300L);
    assertThat(policy.delayAfter(10_000)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void runLongerThanAMinuteEndsTheCrashSeries() {
    assertThat(policy.resetsSeries(Duration.ofSeconds(61))).isTrue();
    assertThat(policy.resetsSeries(Duration.ofSeconds(59))).isFalse();
  }
}
