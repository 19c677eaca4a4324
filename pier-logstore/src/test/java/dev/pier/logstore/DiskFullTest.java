package dev.pier.logstore;

import dev.pier.testkit.SmallDisk;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.LogLine;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log store on a real 4 MB file system that a filler fills up, then frees. */
class DiskFullTest {
  private static final Instant T0 = Instant.parse("2026-11-27T05:00:00Z");
  private static final LogStoreOptions OPTIONS = LogStoreOptions.DEFAULTS
      .withRamBufferMb(1)
      .withRefreshInterval(Duration.ofMillis(200))
      .withCommitInterval(Duration.ofMillis(300))
      .withRetryDelays(Duration.ofMillis(100), Duration.ofMillis(400));

  /** What a {@link NotStoredListener} heard. */
  private static final class RecordingListener implements NotStoredListener {
    final Map<String, AtomicLong> lines = new ConcurrentHashMap<>();
    final List<String> reports = new CopyOnWriteArrayList<>();

    @Override
    public void linesNotStored(String app, long count, String reason) {
      lines.computeIfAbsent(app, a -> new AtomicLong()).addAndGet(count);
      reports.add(app + ": " + count + ": " + reason);
    }

    long lines(String app) {
      AtomicLong n = lines.get(app);
      return n == null ? 0 : n.get();
    }

    long reportsOf(String app) {
      return reports.stream().filter(r -> r.startsWith(app + ":")).count();
    }
  }

  @TempDir Path tmp;
  private SmallDisk disk;
  private LogStore store;
  private final RecordingListener listener = new RecordingListener();
  private long time;

  @BeforeEach
  void mountSmallDisk() throws Exception {
    disk = SmallDisk.mount(tmp.resolve("disk"), 4);
    store = open();
  }

  @AfterEach
  void unmount() throws Exception {
    if (store != null) store.close();
    if (disk != null) disk.close();
  }

  private LogStore open() {
    return LogStore.open(disk.root().resolve("logs"), InstantSource.fixed(T0), OPTIONS, listener);
  }

  private void append(String app, String word, int n) {
    for (int i = 0; i < n; i++) {
      store.append(new LogLine(T0.plusMillis(time++), app, "app", "web.1",
          word + " line " + i + " GET /api/items/" + (i * 7919) + " status=200 bytes=" + (i * 31) + " took " + i % 97 + "ms"));
    }
  }

  private int stored(String app, String word) {
    return store.count(LogQuery.of(app, word, 1));
  }

  /** Earlier lines, committed, then a full disk. */
  private void committedLinesThenAFullDisk() throws Exception {
    append("shop", "before", 200);
    append("blog", "before", 50);
    store.flush();
    store.commit();
    disk.fill();
  }

  @Test
  void linesWrittenToAFullDiskAreReportedPerAppAndEarlierLinesStaySearchable() throws Exception {
    committedLinesThenAFullDisk();

    long start = System.nanoTime();
    for (int round = 0; round < 25; round++) { // 2.5 s of writing to the full disk
      append("shop", "during", 200);
      append("blog", "during", 4);
      Thread.sleep(100);
    }
    store.flush();
    long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds() + 1;

    // Every line is either stored or reported, per app, and the disk did refuse lines.
    awaitTrue(() -> listener.lines("shop") + stored("shop", "during") == 5000
        && listener.lines("blog") + stored("blog", "during") == 100);
    assertThat(listener.lines("shop")).isPositive();
    assertThat(listener.reports).allSatisfy(r -> assertThat(r).endsWith(": No space left on device"));
    // Reports come at most about once a second per app, not once per line or batch.
    assertThat(listener.reportsOf("shop")).isBetween(1L, seconds + 3);

    assertThat(stored("shop", "before")).isEqualTo(200);
    assertThat(stored("blog", "before")).isEqualTo(50);
    assertThat(store.search(LogQuery.of("shop", "before", 1)))
        .extracting(LogLine::text).singleElement().asString().startsWith("before line 199 ");
  }

  @Test
  void whenSpaceReturnsNewLinesAreStoredAgainWithoutReopeningTheStore() throws Exception {
    committedLinesThenAFullDisk();
    append("shop", "during", 3000);
    store.flush();
    awaitTrue(() -> listener.lines("shop") > 0);
    store.deleteApp("blog"); // while the index cannot be written

    disk.free();
    awaitTrue(() -> {
      append("shop", "after", 1);
      store.flush();
      return stored("shop", "after") > 0;
    });
    append("shop", "final", 100);
    store.flush();
    assertThat(stored("shop", "final")).isEqualTo(100);
    assertThat(stored("shop", "before")).isEqualTo(200);
    assertThat(stored("blog", "before")).isZero();

    store.close(); // commits; a reopened store has every committed line, intact
    store = open();
    assertThat(stored("shop", "before")).isEqualTo(200);
    assertThat(stored("shop", "final")).isEqualTo(100);
    assertThat(stored("blog", "before")).isZero();
    append("shop", "reopened", 1);
    store.flush();
    assertThat(store.recent("shop", 2)).extracting(LogLine::text)
        .satisfiesExactly(t -> assertThat(t).startsWith("final line 99 "), t -> assertThat(t).startsWith("reopened line 0 "));
  }

  @Test
  void theStoresOwnReportsAreNotCountedWhenTheyCannotBeStoredEither() throws Exception {
    committedLinesThenAFullDisk();
    append("shop", "during", 500);
    store.flush();
    awaitTrue(() -> listener.lines("shop") + stored("shop", "during") == 500);
    long reported = listener.lines("shop");

    // A report appended back into the store, as the server does, is dropped without a new report.
    store.append(new LogLine(T0, "shop", "pier", LogStore.REPORT_PROCESS, "Error L11 (disk full): lines not stored"));
    store.flush();
    Thread.sleep(1500); // past the next report
    assertThat(listener.lines("shop")).isEqualTo(reported);
  }

  private void appendRouter(String word, int n) {
    for (int i = 0; i < n; i++) {
      store.append(new LogLine(T0.plusMillis(time++), "shop", "pier", "router", "at=info method=GET path=\"/" + word
          + "\" host=shop.localhost request_id=" + java.util.UUID.randomUUID() + " dyno=web.1 status=200 bytes=" + i));
    }
  }

  private int storedRouter(String word) {
    return store.search(new LogQuery("shop", word, null, "router", null, LogQuery.MAX_LIMIT)).size();
  }

  @Test
  void routerLinesWrittenToAFullDiskAreReportedAndStoredAgainWhenSpaceReturns() throws Exception {
    appendRouter("before", 200);
    store.commit(); // synced
    disk.fill();

    for (int round = 0; round < 5; round++) {
      appendRouter("during", 150);
      Thread.sleep(100);
    }
    store.commit(); // writes the last partial block, which fails too
    awaitTrue(() -> listener.lines("shop") + storedRouter("during") == 750);
    assertThat(listener.lines("shop")).isPositive();
    assertThat(listener.reports).allSatisfy(r -> assertThat(r).endsWith(": No space left on device"));
    assertThat(storedRouter("before")).isEqualTo(200);

    disk.free();
    awaitTrue(() -> {
      appendRouter("after", 1);
      store.commit();
      return storedRouter("after") > 0;
    });
    store.close();
    store = open();
    assertThat(storedRouter("before")).isEqualTo(200);
    assertThat(storedRouter("after")).isPositive();
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 15 s");
      Thread.sleep(50);
    }
  }
}
