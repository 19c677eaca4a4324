package dev.pier.logstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.model.LogLine;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(NOW);

  private static LogLine line(Instant time, String app, String text) {
    return new LogLine(time, app, "app", "web.1", text);
  }

  private static List<String> texts(LogStore store, String app) {
    return store.search(LogQuery.of(app, "", 100)).stream().map(LogLine::text).toList();
  }

  @Test
  void appsWithoutSettingKeepSevenDays() {
    try (LogStore store = LogStore.open(dir, clock)) {
      assertThat(store.retention("shop")).isEqualTo(Duration.ofDays(7));
    }
  }

  @Test
  void purgeDeletesOnlyLinesOlderThanThatAppsRetention() {
    try (LogStore store = LogStore.open(dir, clock)) {
      store.retention("shop", Duration.ofHours(1));
      store.append(line(NOW.minus(Duration.ofHours(2)), "shop", "shop old"));
      store.append(line(NOW.minus(Duration.ofMinutes(30)), "shop", "shop new"));
      store.append(line(NOW.minus(Duration.ofHours(2)), "blog", "blog old"));
      store.flush();

      assertThat(store.purgeExpired()).isEqualTo(1);

      assertThat(texts(store, "shop")).containsExactly("shop new");
      assertThat(texts(store, "blog")).containsExactly("blog old");
      assertThat(store.purgeExpired()).isZero();
    }
  }

  @Test
  void linesExpireAsTheClockMoves() {
    try (LogStore store = LogStore.open(dir, clock)) {
      store.append(line(NOW, "blog", "blog line"));
      store.append(line(NOW.plus(Duration.ofDays(1)), "blog", "blog later"));
      store.flush();

      clock.advance(Duration.ofDays(7));
      assertThat(store.purgeExpired()).isZero();
      clock.advance(Duration.ofMillis(1));
      assertThat(store.purgeExpired()).isEqualTo(1);

      assertThat(texts(store, "blog")).containsExactly("blog later");
    }
  }

  @Test
  void retentionSettingsSurviveReopenAndAppDeletion() {
    try (LogStore store = LogStore.open(dir, clock)) {
      store.retention("shop", Duration.ofHours(6));
      store.retention("blog", Duration.ofDays(30));
      store.deleteApp("blog");
    }
    try (LogStore store = LogStore.open(dir, clock)) {
      assertThat(store.retention("shop")).isEqualTo(Duration.ofHours(6));
      assertThat(store.retention("blog")).isEqualTo(Duration.ofDays(7));
    }
  }

  @Test
  void nonPositiveRetentionIsRejected() {
    try (LogStore store = LogStore.open(dir, clock)) {
      assertThatThrownBy(() -> store.retention("shop", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
