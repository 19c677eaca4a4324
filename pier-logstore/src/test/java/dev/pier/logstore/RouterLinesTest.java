package dev.pier.logstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.model.LogLine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Router access lines, kept in {@link RouterLineStore} segments rather than the index. */
class RouterLinesTest {
  private static final Instant T0 = Instant.parse("2026-11-27T05:00:00Z");

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(T0.plus(Duration.ofHours(1)));

  static String access(int i, int status, String path) {
    return "at=info method=GET path=\"" + path + "\" host=shop.localhost request_id=req-" + i
        + "-7f3a fwd=\"127.0.0.1\" dyno=web.1 version=v2 connect=0ms service=3ms status=" + status
        + " bytes=" + (100 + i);
  }

  static LogLine router(Instant time, String app, String text) {
    return new LogLine(time, app, "pier", "router", text);
  }

  private static List<String> texts(LogStore store, LogQuery query) {
    return store.search(query).stream().map(LogLine::text).toList();
  }

  private static LogQuery q(String text) {
    return LogQuery.of("shop", text, 1000);
  }

  @Test
  void routerLinesAreFoundByRequestIdStatusPathAndTime() {
    try (LogStore store = LogStore.open(dir, clock)) {
      for (int i = 0; i < 3000; i++) {
        store.append(router(T0.plusMillis(i), "shop", access(i, i % 100 == 0 ? 500 : 200, "/items/" + i)));
      }
      store.flush();

      assertThat(texts(store, q("request_id=req-1234-7f3a"))).containsExactly(access(1234, 200, "/items/1234"));
      assertThat(texts(store, q("req-2999-7f3a"))).hasSize(1);
      assertThat(texts(store, q("status=500"))).hasSize(30).first().isEqualTo(access(2900, 500, "/items/2900"));
      assertThat(texts(store, q("\"/items/42\""))).containsExactly(access(42, 200, "/items/42"));
      List<LogLine> recent = store.search(new LogQuery("shop", "status=200", T0.plusMillis(2990), null, null, 1000));
      assertThat(recent).hasSize(10).extracting(LogLine::time).isSortedAccordingTo((a, b) -> b.compareTo(a));
      assertThat(recent.getFirst()).isEqualTo(router(T0.plusMillis(2999), "shop", access(2999, 200, "/items/2999")));
      assertThat(texts(store, q("status=404"))).isEmpty();
      assertThat(store.search(LogQuery.of("other", "", 10))).isEmpty();
    }
  }

  @Test
  void routerLinesMixWithAppLinesNewestFirstAndFollowKindAndInstanceFilters() {
    try (LogStore store = LogStore.open(dir, clock)) {
      store.append(router(T0, "shop", access(1, 200, "/")));
      store.append(new LogLine(T0.plusMillis(1), "shop", "app", "web.1", "GET / 200"));
      store.append(router(T0.plusMillis(2), "shop", access(2, 200, "/")));
      store.flush();

      assertThat(texts(store, q(""))).containsExactly(access(2, 200, "/"), "GET / 200", access(1, 200, "/"));
      assertThat(store.recent("shop", 2)).extracting(LogLine::text).containsExactly("GET / 200", access(2, 200, "/"));
      assertThat(texts(store, new LogQuery("shop", "", null, "router", null, 10))).hasSize(2);
      assertThat(texts(store, new LogQuery("shop", "", null, "app", null, 10))).containsExactly("GET / 200");
      assertThat(texts(store, new LogQuery("shop", "", null, null, "router", 10))).hasSize(2);
      assertThat(texts(store, new LogQuery("shop", "", null, null, "web", 10))).containsExactly("GET / 200");
      assertThat(texts(store, LogQuery.of("shop", "", 2))).hasSize(2);
    }
  }

  @Test
  void routerLinesSurviveARestartAndNewOnesFollowThem() {
    try (LogStore store = LogStore.open(dir, clock)) {
      for (int i = 0; i < 500; i++) store.append(router(T0.plusMillis(i), "shop", access(i, 200, "/")));
    } // no flush: close writes and syncs
    try (LogStore store = LogStore.open(dir, clock)) {
      assertThat(texts(store, q("req-7-7f3a"))).containsExactly(access(7, 200, "/"));
      store.append(router(T0.plusSeconds(10), "shop", access(9999, 201, "/new")));
      assertThat(texts(store, LogQuery.of("shop", "", 2))).containsExactly(access(9999, 201, "/new"), access(499, 200, "/"));
    }
    try (LogStore store = LogStore.open(dir, clock)) {
      assertThat(texts(store, q(""))).hasSize(501);
    }
  }

  @Test
  void aTornTailLosesNoEarlierLine() throws Exception {
    try (LogStore store = LogStore.open(dir, clock)) {
      // Long lines fill several blocks.
      for (int i = 0; i < 2000; i++) store.append(router(T0.plusMillis(i), "shop", access(i, 200, "/" + "x".repeat(i % 50))));
    }
    Path segment = segments().getLast();
    long size = Files.size(segment);
    try (var ch = java.nio.channels.FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.truncate(size - 100); // the last block torn in the middle
    }
    Files.write(segment, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}, StandardOpenOption.APPEND);

    try (LogStore store = LogStore.open(dir, clock)) {
      List<String> kept = texts(store, q(""));
      assertThat(kept).isNotEmpty().hasSizeLessThan(2000);
      assertThat(texts(store, q("req-0-7f3a"))).hasSize(1);
      int newest = kept.size() - 1;
      assertThat(kept.getFirst()).startsWith(access(newest, 200, "/").substring(0, 20));
      store.append(router(T0.plusSeconds(60), "shop", access(5000, 200, "/after")));
      assertThat(texts(store, q("req-5000-7f3a"))).hasSize(1);
    }
  }

  @Test
  void aKilledStoreKeepsTheSyncedRouterLines() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        CrashingRouter.class.getName(), dir.toString(), "3000").redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.equals(CrashingRouter.READY)) {}
      assertThat(line).as("child output").isEqualTo(CrashingRouter.READY);
      child.destroyForcibly(); // SIGKILL: the segment stays ".open"
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    try (Stream<Path> files = Files.walk(dir.resolve(RouterLineStore.DIR))) {
      assertThat(files.map(Path::toString)).anyMatch(f -> f.endsWith(".open"));
    }
    try (LogStore store = LogStore.open(dir, InstantSource.fixed(T0))) {
      assertThat(texts(store, q(""))).hasSize(1000); // the limit: all 3000 are there
      assertThat(texts(store, q("req-2999-7f3a"))).containsExactly(access(2999, 200, "/"));
      assertThat(texts(store, q("req-0-7f3a"))).containsExactly(access(0, 200, "/"));
    }
  }

  @Test
  void expiredRouterLinesVanishAtOnceAndTheirSegmentsAreDeleted() throws Exception {
    try (LogStore store = LogStore.open(dir, clock)) {
      store.retention("shop", Duration.ofHours(1));
      store.append(router(T0.minus(Duration.ofHours(2)), "shop", access(1, 200, "/old")));
      store.append(router(T0.minus(Duration.ofHours(2)), "blog", access(2, 200, "/old")));
      store.flush();
      store.commit(); // the block is written
      store.append(router(T0.plus(Duration.ofMinutes(30)), "shop", access(3, 200, "/new")));
      store.commit();

      assertThat(texts(store, q(""))).containsExactly(access(3, 200, "/new"));
      // A segment spans at most an hour of line time, so the old line's segment goes now.
      assertThat(store.purgeExpired()).isEqualTo(1);
      clock.advance(Duration.ofHours(1));
      assertThat(texts(store, q(""))).isEmpty();
      assertThat(store.purgeExpired()).isEqualTo(1);
      try (Stream<Path> files = Files.walk(dir.resolve(RouterLineStore.DIR))) {
        assertThat(files.filter(Files::isRegularFile)).hasSize(1); // blog's, kept 7 days
      }
      assertThat(texts(store, LogQuery.of("blog", "", 10))).hasSize(1);
    }
  }

  @Test
  void deletingAnAppDeletesItsRouterLines() {
    try (LogStore store = LogStore.open(dir, clock)) {
      store.append(router(T0, "shop", access(1, 200, "/")));
      store.commit();
      store.deleteApp("shop");
      assertThat(texts(store, q(""))).isEmpty();
      store.append(router(T0, "shop", access(2, 200, "/")));
      assertThat(texts(store, q(""))).containsExactly(access(2, 200, "/"));
    }
    try (LogStore store = LogStore.open(dir, clock)) {
      assertThat(texts(store, q(""))).containsExactly(access(2, 200, "/"));
    }
  }

  private List<Path> segments() throws Exception {
    try (Stream<Path> files = Files.walk(dir.resolve(RouterLineStore.DIR))) {
      return files.filter(f -> f.toString().endsWith(".seg")).sorted().toList();
    }
  }

  /** Appends router lines, waits past a commit, says so, then waits to be killed. */
  static final class CrashingRouter {
    static final String READY = "synced";

    public static void main(String[] args) throws InterruptedException {
      LogStore store = LogStore.open(Path.of(args[0]), InstantSource.fixed(T0),
          LogStoreOptions.DEFAULTS.withCommitInterval(Duration.ofMillis(50)));
      int n = Integer.parseInt(args[1]);
      for (int i = 0; i < n; i++) store.append(router(T0.plusMillis(i), "shop", access(i, 200, "/")));
      Thread.sleep(1000); // many commits
      System.out.println(READY);
      System.out.flush();
      Thread.sleep(60_000);
    }
  }
}
