package dev.pier.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.app.AppStore;
import dev.pier.model.AppName;
import dev.pier.store.Database;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds are numbered 1, 2, 3... per app, also when one app's builds start at the same time. */
class BuildNumbersTest {
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private static final AppName ONE = new AppName("one");
  private static final AppName TWO = new AppName("two");

  @TempDir Path tmp;

  @Test
  void eachAppCountsItsOwnBuildsFromOneAndFindsThemByThatNumber() {
    try (Database db = Database.open(tmp.resolve("db"))) {
      AppStore apps = new AppStore(db);
      apps.insert(ONE, NOW).orElseThrow();
      apps.insert(TWO, NOW).orElseThrow();
      BuildStore builds = new BuildStore(db);
      BuildStore.Started a1 = builds.start(ONE, "first", "admin", NOW);
      BuildStore.Started b1 = builds.start(TWO, "first of two", "admin", NOW);
      BuildStore.Started a2 = builds.start(ONE, "second", "admin", NOW);
      assertThat(List.of(a1.number(), b1.number(), a2.number())).containsExactly(1, 1, 2);
      assertThat(a2.id()).isGreaterThan(b1.id());
      builds.finish(a2.id(), "succeeded", 2, "-----> done", NOW);
      BuildStore.Build found = builds.find(ONE, 2).orElseThrow();
      assertThat(found.description()).isEqualTo("second");
      assertThat(found.output()).isEqualTo("-----> done");
      assertThat(builds.find(TWO, 2)).isEmpty();
      assertThat(builds.list(ONE, 10)).extracting(BuildStore.Build::number).containsExactly(2, 1);
    }
    // durable: the numbers survive a reopen and counting goes on
    try (Database db = Database.open(tmp.resolve("db"))) {
      assertThat(new BuildStore(db).start(ONE, "third", "admin", NOW).number()).isEqualTo(3);
    }
  }

  @Test
  void buildsOfOneAppStartedConcurrentlyGetDistinctConsecutiveNumbers() throws Exception {
    try (Database db = Database.open(tmp.resolve("db"))) {
      new AppStore(db).insert(ONE, NOW).orElseThrow();
      BuildStore builds = new BuildStore(db);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Integer>> numbers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          numbers.add(pool.submit(() -> builds.start(ONE, "concurrent", "admin", NOW).number()));
        }
        List<Integer> got = new ArrayList<>();
        for (Future<Integer> n : numbers) got.add(n.get());
        assertThat(got).doesNotHaveDuplicates().hasSize(40).allMatch(n -> n >= 1 && n <= 40);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void theMigrationNumbersExistingBuildsPerAppInTheOrderTheyRan() throws Exception {
    try (Database db = Database.open(tmp.resolve("db"))) {
      AppStore apps = new AppStore(db);
      apps.insert(ONE, NOW).orElseThrow();
      apps.insert(TWO, NOW).orElseThrow();
      // back to the schema before V13 (so before the later migrations too), with builds of two
      // apps interleaved
      db.transaction(c -> {
        try (var s = c.createStatement()) {
          s.execute("ALTER TABLE builds DROP COLUMN runtime");
          s.execute("DELETE FROM schema_version WHERE version = 14");
          s.execute("DROP INDEX builds_app_number");
          s.execute("ALTER TABLE builds DROP COLUMN number");
          s.execute("DELETE FROM schema_version WHERE version = 13");
          for (String app : List.of("one", "two", "one", "one", "two")) {
            s.execute("INSERT INTO builds (app, description, created_by, started_at, status)"
                + " VALUES ('" + app + "', 'old', 'admin', CURRENT_TIMESTAMP, 'succeeded')");
          }
        }
        return null;
      });
    }
    try (Database db = Database.open(tmp.resolve("db"))) {
      BuildStore builds = new BuildStore(db);
      assertThat(builds.list(ONE, 10)).extracting(BuildStore.Build::number).containsExactly(3, 2, 1);
      assertThat(builds.list(TWO, 10)).extracting(BuildStore.Build::number).containsExactly(2, 1);
      assertThat(builds.start(TWO, "new", "admin", NOW).number()).isEqualTo(3);
    }
  }
}
