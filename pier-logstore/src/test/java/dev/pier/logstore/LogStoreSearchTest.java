package dev.pier.logstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.LogLine;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogStoreSearchTest {
  private static final Instant T0 = Instant.parse("2026-11-27T05:00:00Z");

  @TempDir Path dir;
  private LogStore store;

  @BeforeEach
  void open() {
    store = LogStore.open(dir, InstantSource.fixed(T0.plusSeconds(3600)));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void append(int second, String app, String source, String process, String text) {
    store.append(new LogLine(T0.plusSeconds(second), app, source, process, text));
  }

  private List<String> texts(LogQuery query) {
    return store.search(query).stream().map(LogLine::text).toList();
  }

  @Test
  void wordMatchesTokenInsidePunctuationWhateverItsCase() {
    append(1, "shop", "app", "web.1", "Uncaught TypeError: foo is not a function");
    append(2, "shop", "app", "web.1", "GET / 200");
    store.flush();

    assertThat(texts(LogQuery.of("shop", "TypeError", 10))).containsExactly("Uncaught TypeError: foo is not a function");
    assertThat(texts(LogQuery.of("shop", "typeerror", 10))).hasSize(1);
    assertThat(texts(LogQuery.of("shop", "TYPEERROR:", 10))).hasSize(1);
  }

  @Test
  void partsOfDottedNamesAndIdsAreWordsToo() {
    append(1, "shop", "pier", "router",
        "at=info host=shop.pier.local request_id=5f0c9a1e-77aa fwd=\"10.1.2.3\" status=503");
    append(2, "shop", "app", "web.1", "connected to db.internal:5432");
    store.flush();

    assertThat(texts(LogQuery.of("shop", "local", 10))).hasSize(1);
    assertThat(texts(LogQuery.of("shop", "5F0C9A1E-77AA", 10))).hasSize(1);
    assertThat(texts(LogQuery.of("shop", "10.1.2.3", 10))).hasSize(1);
    assertThat(texts(LogQuery.of("shop", "10.1.2.4", 10))).isEmpty();
    assertThat(texts(LogQuery.of("shop", "db.internal:5432", 10))).containsExactly("connected to db.internal:5432");
  }

  @Test
  void everyWordMustMatch() {
    append(1, "shop", "app", "web.1", "payment failed for order 17");
    append(2, "shop", "app", "web.1", "payment succeeded for order 18");
    store.flush();

    assertThat(texts(LogQuery.of("shop", "payment failed", 10))).containsExactly("payment failed for order 17");
    assertThat(texts(LogQuery.of("shop", "payment", 10))).hasSize(2);
    assertThat(texts(LogQuery.of("shop", "payment refunded", 10))).isEmpty();
  }

  @Test
  void quotedPhraseMatchesOnlyAdjacentWordsInOrder() {
    append(1, "shop", "app", "web.1", "Uncaught TypeError: x is undefined");
    append(2, "shop", "app", "web.1", "x TypeError in module");
    append(3, "shop", "app", "web.1", "TypeError: y is undefined");
    store.flush();

    assertThat(texts(LogQuery.of("shop", "\"TypeError: x\"", 10))).containsExactly("Uncaught TypeError: x is undefined");
    assertThat(texts(LogQuery.of("shop", "\"is undefined\" \"TypeError: y", 10)))
        .containsExactly("TypeError: y is undefined");
  }

  @Test
  void resultsAreNewestFirstWithAppendOrderBreakingTies() {
    append(5, "shop", "app", "web.1", "line five");
    append(1, "shop", "app", "web.1", "line one");
    append(9, "shop", "app", "web.1", "line nine");
    append(9, "shop", "app", "web.1", "line nine again");
    store.flush();

    assertThat(texts(LogQuery.of("shop", "line", 10)))
        .containsExactly("line nine again", "line nine", "line five", "line one");
    assertThat(texts(LogQuery.of("shop", "line", 2))).containsExactly("line nine again", "line nine");
  }

  @Test
  void hitsComeBackWhole() {
    Instant time = T0.plusNanos(123_456_789);
    LogLine line = new LogLine(time, "shop", "pier", "router", "at=info method=GET path=\"/\" status=200");
    store.append(line);
    store.flush();

    assertThat(store.search(LogQuery.of("shop", "", 10))).containsExactly(line);
  }

  @Test
  void emptyTextReturnsEveryLineUpToTheLimit() {
    for (int i = 0; i < 30; i++) append(i, "shop", "app", "web.1", "line " + i);
    store.flush();

    assertThat(texts(LogQuery.of("shop", "", 10))).hasSize(10).first().isEqualTo("line 29");
    assertThat(texts(LogQuery.of("shop", "  ", 100))).hasSize(30);
  }

  @Test
  void otherAppsLinesNeverLeak() {
    append(1, "shop", "app", "web.1", "secret token shop");
    append(2, "blog", "app", "web.1", "secret token blog");
    append(3, "shop-2", "app", "web.1", "secret token shop-2");
    store.flush();

    assertThat(texts(LogQuery.of("shop", "secret", 10))).containsExactly("secret token shop");
    assertThat(texts(LogQuery.of("blog", "", 10))).containsExactly("secret token blog");
    assertThat(texts(LogQuery.of("nosuchapp", "", 10))).isEmpty();
  }

  @Test
  void filtersByKindInstanceAndSince() {
    append(1, "shop", "app", "web.1", "hello from web one");
    append(2, "shop", "app", "web.2", "hello from web two");
    append(3, "shop", "app", "worker.1", "hello from worker");
    append(4, "shop", "pier", "router", "at=info path=\"/hello\" dyno=web.1 status=200");
    append(5, "shop", "pier", "api", "hello: release v3 created");
    store.flush();

    assertThat(texts(new LogQuery("shop", "hello", null, "app", null, 10)))
        .containsExactly("hello from worker", "hello from web two", "hello from web one");
    assertThat(texts(new LogQuery("shop", "hello", null, "router", null, 10)))
        .containsExactly("at=info path=\"/hello\" dyno=web.1 status=200");
    assertThat(texts(new LogQuery("shop", "", null, "platform", null, 10))).containsExactly("hello: release v3 created");
    assertThat(texts(new LogQuery("shop", "hello", null, null, "web.2", 10))).containsExactly("hello from web two");
    assertThat(texts(new LogQuery("shop", "", T0.plusSeconds(3), null, null, 10)))
        .containsExactly("hello: release v3 created", "at=info path=\"/hello\" dyno=web.1 status=200", "hello from worker");
    assertThat(texts(new LogQuery("shop", "hello", T0.plusSeconds(2), "app", "web.1", 10))).isEmpty();
  }

  @Test
  void aProcessTypeAsInstanceMatchesEveryInstanceOfThatType() {
    append(1, "shop", "app", "web.1", "one");
    append(2, "shop", "app", "web.2", "two");
    append(3, "shop", "app", "webhook.1", "not a web instance");
    append(4, "shop", "pier", "web.12", "twelve");
    store.flush();

    assertThat(texts(new LogQuery("shop", "", null, null, "web", 10))).containsExactly("twelve", "two", "one");
    assertThat(texts(new LogQuery("shop", "", null, null, "web.1", 10))).containsExactly("one");
  }

  @Test
  void recentGivesTheNewestLinesOldestFirst() {
    for (int i = 0; i < 20; i++) append(i, "shop", "app", "web.1", "line " + i);
    append(30, "blog", "app", "web.1", "other app");
    store.flush();

    assertThat(store.recent("shop", 3).stream().map(LogLine::text)).containsExactly("line 17", "line 18", "line 19");
    assertThat(store.recent("shop", 100)).hasSize(20);
    assertThat(store.recent("nosuchapp", 5)).isEmpty();
  }

  @Test
  void appendedLineBecomesSearchableWithinASecondWithoutFlush() throws InterruptedException {
    append(1, "shop", "app", "web.1", "eventually visible");
    long start = System.nanoTime();
    while (store.search(LogQuery.of("shop", "visible", 1)).isEmpty()) {
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      Thread.sleep(10);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void searchSeesAddedLinesWithoutWaitingForTheBackgroundRefresh() throws InterruptedException {
    try (LogStore lazy = LogStore.open(dir.resolve("lazy"), InstantSource.fixed(T0),
        LogStoreOptions.DEFAULTS.withRefreshInterval(Duration.ofHours(1)).withSearchRefreshAge(Duration.ZERO))) {
      lazy.append(new LogLine(T0, "shop", "app", "web.1", "seen on demand"));
      long start = System.nanoTime();
      while (lazy.search(LogQuery.of("shop", "demand", 1)).isEmpty()) {
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        Thread.sleep(5);
      }
    }
  }

  @Test
  void lineBecomesSearchableWithinASecondThroughTheBackgroundRefreshAlone() throws InterruptedException {
    try (LogStore lazy = LogStore.open(dir.resolve("background"), InstantSource.fixed(T0),
        LogStoreOptions.DEFAULTS.withSearchRefreshAge(Duration.ofHours(1)))) {
      lazy.search(LogQuery.of("shop", "", 1)); // views before the line never refresh on search
      lazy.append(new LogLine(T0, "shop", "app", "web.1", "seen in background"));
      long start = System.nanoTime();
      while (lazy.search(LogQuery.of("shop", "background", 1)).isEmpty()) {
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
        Thread.sleep(20);
      }
    }
  }

  @Test
  void deletedAppLosesItsLinesOnly() {
    append(1, "shop", "app", "web.1", "shop line");
    append(2, "blog", "app", "web.1", "blog line");
    store.flush();

    store.deleteApp("shop");

    assertThat(store.search(LogQuery.of("shop", "", 10))).isEmpty();
    assertThat(texts(LogQuery.of("blog", "", 10))).containsExactly("blog line");
  }
}
