package dev.pier.logstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.LogLine;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackpressureTest {
  private static final Instant T0 = Instant.parse("2026-11-27T05:00:00Z");

  @TempDir Path dir;

  @Test
  void appendNeverBlocksWhenTheQueueIsFullAndCountsDropsPerApp() {
    int total = 200_000;
    try (LogStore store =
        LogStore.open(dir, InstantSource.fixed(T0), LogStoreOptions.DEFAULTS.withQueueCapacity(64))) {
      long start = System.nanoTime();
      for (int i = 0; i < total; i++) {
        store.append(new LogLine(T0.plusMillis(i), i % 2 == 0 ? "shop" : "blog", "app", "web.1", "burst line " + i));
      }
      Duration appending = Duration.ofNanos(System.nanoTime() - start);
      store.flush();

      Map<String, Long> dropped = store.takeDropped();
      long stored = store.count(LogQuery.of("shop", "", 1)) + store.count(LogQuery.of("blog", "", 1));
      assertThat(dropped).containsOnlyKeys("shop", "blog");
      assertThat(stored + dropped.get("shop") + dropped.get("blog")).isEqualTo(total);
      assertThat(stored).isPositive();
      // A blocking append would wait for Lucene: 200k lines take seconds to index here.
      assertThat(appending).isLessThan(Duration.ofSeconds(2));
      assertThat(store.takeDropped()).as("counts reset").isEmpty();
    }
  }

  @Test
  void unindexableLineIsCountedAsDroppedAndTheLinesAroundItAreStored() {
    String hugeProcess = "p".repeat(40_000); // a keyword over Lucene's 32 KB term limit
    try (LogStore store = LogStore.open(dir, InstantSource.fixed(T0))) {
      for (int i = 0; i < 1000; i++) {
        store.append(new LogLine(T0.plusMillis(i), "shop", "app", i == 500 ? hugeProcess : "web.1", "line " + i));
      }
      store.flush();

      assertThat(store.takeDropped()).containsExactly(Map.entry("shop", 1L));
      assertThat(store.count(LogQuery.of("shop", "", 1))).isEqualTo(999);
      assertThat(store.recent("shop", 1)).extracting(LogLine::text).containsExactly("line 999");
    }
  }

  @Test
  void appendAfterCloseIsCountedAsDropped() {
    LogStore store = LogStore.open(dir, InstantSource.fixed(T0));
    store.close();
    store.append(new LogLine(T0, "shop", "app", "web.1", "too late"));
    assertThat(store.takeDropped()).containsEntry("shop", 1L);
  }
}
