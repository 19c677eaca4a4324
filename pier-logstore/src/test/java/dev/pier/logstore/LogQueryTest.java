package dev.pier.logstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LogQueryTest {
  @Test
  void limitAboveMaximumIsLowered() {
    assertThat(LogQuery.of("shop", "x", 5000).limit()).isEqualTo(LogQuery.MAX_LIMIT);
  }

  @Test
  void blankFiltersMeanAny() {
    LogQuery q = new LogQuery("shop", null, null, " ", "", 10);
    assertThat(q.text()).isEmpty();
    assertThat(q.kind()).isNull();
    assertThat(q.instance()).isNull();
  }

  @Test
  void invalidQueriesAreRejectedWithTheReason() {
    assertThatThrownBy(() -> LogQuery.of(" ", "", 10)).hasMessageContaining("app");
    assertThatThrownBy(() -> LogQuery.of("shop", "", 0)).hasMessageContaining("limit");
    assertThatThrownBy(() -> new LogQuery("shop", "", null, "build", null, 10)).hasMessageContaining("kind");
  }
}
