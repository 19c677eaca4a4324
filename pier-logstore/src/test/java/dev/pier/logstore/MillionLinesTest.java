package dev.pier.logstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.LogLine;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MillionLinesTest {
  private static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");

  @TempDir Path dir;

  @Test
  void uniqueWordIsFoundAmongAMillionLines() {
    SampleLines sample = new SampleLines(T0, 10);
    LogLine needle = new LogLine(T0.plusSeconds(400), SampleLines.app(4), "app", "web.2", "charge zebracorn declined");
    try (LogStore store = LogStore.open(dir, InstantSource.fixed(T0))) {
      sample.appendPaced(store, 0, 500_000);
      store.append(needle);
      sample.appendPaced(store, 500_000, 1_000_000);
      store.flush();

      assertThat(store.takeDropped()).isEmpty();
      assertThat(store.search(LogQuery.of(SampleLines.app(4), "ZebraCorn", 100))).containsExactly(needle);
      assertThat(store.search(LogQuery.of(SampleLines.app(5), "zebracorn", 100))).isEmpty();
      assertThat(store.search(LogQuery.of(SampleLines.app(4), "get", 1000)))
          .hasSize(1000)
          .isSortedAccordingTo((a, b) -> b.time().compareTo(a.time()));
    }
  }
}
