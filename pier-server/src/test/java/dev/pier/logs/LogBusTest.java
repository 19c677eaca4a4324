package dev.pier.logs;

import dev.pier.model.LogLine;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class LogBusTest {
  private final LogBus bus = new LogBus(3, InstantSource.fixed(Instant.parse("2026-11-27T05:31:00.123456Z")));

  @Test
  void keepsOnlyTheNewestLinesPerAppOldestFirst() {
    for (int i = 1; i <= 5; i++) bus.append("a", "app", "web.1", "line " + i);
    bus.append("b", "app", "web.1", "other app");
    assertThat(bus.recent("a", 10)).extracting(LogLine::text).containsExactly("line 3", "line 4", "line 5");
    assertThat(bus.recent("a", 2)).extracting(LogLine::text).containsExactly("line 4", "line 5");
    assertThat(bus.recent("b", 10)).extracting(LogLine::text).containsExactly("other app");
  }

  @Test
  void formatsLinesInHerokuStyle() {
    bus.platform("a", "router", "at=info method=GET");
    assertThat(bus.recent("a", 1).getFirst().format())
        .isEqualTo("2026-11-27T05:31:00.123456Z pier[router]: at=info method=GET");
  }

  @Test
  void subscribersReceiveNewLinesOnlyUntilClosed() throws Exception {
    bus.append("a", "app", "web.1", "before");
    try (LogBus.Subscription s = bus.subscribe("a")) {
      bus.append("a", "app", "web.1", "after");
      bus.append("b", "app", "web.1", "elsewhere");
      assertThat(s.poll(1000).text()).isEqualTo("after");
      assertThat(s.poll(50)).isNull();
    }
  }

  @Test
  void aSlowSubscriberLosesLinesAndIsToldHowMany() throws Exception {
    try (LogBus.Subscription s = bus.subscribe("a")) {
      for (int i = 0; i < 10_005; i++) bus.append("a", "app", "web.1", "x" + i);
      assertThat(s.takeDropped()).isEqualTo(5);
      assertThat(s.poll(100).text()).isEqualTo("x0");
    }
  }
}
