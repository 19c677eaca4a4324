package dev.pier.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When automatic certificates are renewed, and how long a failed order waits. */
class RenewalPolicyTest {
  @Test
  void renewalStartsWithThirtyDaysLeftOrAThirdOfAShortLifetime() {
    Instant start = Instant.parse("2027-01-01T00:00:00Z");
    assertThat(RenewalPolicy.renewAt(start, start.plus(Duration.ofDays(90))))
        .isEqualTo(start.plus(Duration.ofDays(60)));
    assertThat(RenewalPolicy.renewAt(start, start.plus(Duration.ofDays(6))))
        .isEqualTo(start.plus(Duration.ofDays(4)));
    assertThat(RenewalPolicy.retryAfter(1)).isEqualTo(Duration.ofMinutes(5));
    assertThat(RenewalPolicy.retryAfter(3)).isEqualTo(Duration.ofMinutes(20));
    assertThat(RenewalPolicy.retryAfter(40)).isEqualTo(Duration.ofHours(24));
  }
}
