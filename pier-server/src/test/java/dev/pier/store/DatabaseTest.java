package dev.pier.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.app.AppStore;
import dev.pier.model.AppName;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  @TempDir Path tmp;

  @Test
  void reopeningKeepsDataAndAppliesMigrationsOnce() {
    try (Database db = Database.open(tmp)) {
      AppStore apps = new AppStore(db);
      assertThat(apps.insert(new AppName("kept-app"), Instant.now())).isPresent();
      assertThat(apps.insert(new AppName("kept-app"), Instant.now())).isEmpty();
    }
    try (Database db = Database.open(tmp)) {
      assertThat(new AppStore(db).all()).extracting(a -> a.name().value()).containsExactly("kept-app");
      int versions = db.query(c -> {
        try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM schema_version")) {
          rs.next();
          return rs.getInt(1);
        }
      });
      assertThat(versions).isEqualTo(Migrator.MIGRATIONS.length);
    }
  }

  @Test
  void eachAppGetsItsOwnUid() {
    try (Database db = Database.open(tmp)) {
      AppStore apps = new AppStore(db);
      int a = apps.insert(new AppName("app-one"), Instant.now()).orElseThrow().uid();
      int b = apps.insert(new AppName("app-two"), Instant.now()).orElseThrow().uid();
      assertThat(a).isNotEqualTo(b).isGreaterThanOrEqualTo(61000);
    }
  }

  @Test
  void aNewDataDirectoryHandsOutUidsFromItsOwnBlock() throws Exception {
    Path one = tmp.resolve("one");
    Path two = tmp.resolve("two");
    for (int i = 0; UidRange.startFor(two) == UidRange.startFor(one); i++) two = tmp.resolve("two-" + i); // 1 in 9000
    int first;
    try (Database db = Database.open(one)) {
      first = new AppStore(db).insert(new AppName("app-one"), Instant.now()).orElseThrow().uid();
    }
    int other;
    try (Database db = Database.open(two)) {
      other = new AppStore(db).insert(new AppName("app-one"), Instant.now()).orElseThrow().uid();
    }
    assertThat(first).isEqualTo(UidRange.startFor(one)).isBetween(UidRange.FIRST, UidRange.FIRST + UidRange.SLOTS * UidRange.SIZE);
    assertThat(other).isEqualTo(UidRange.startFor(two)).isNotEqualTo(first);
    // Reopening keeps the sequence where it is: the next app gets the next uid of the block.
    try (Database db = Database.open(one)) {
      assertThat(new AppStore(db).insert(new AppName("app-two"), Instant.now()).orElseThrow().uid()).isEqualTo(first + 1);
    }
  }

  @Test
  void aDatabaseThatAlreadyHandedOutUidsKeepsThem() throws Exception {
    try (Database db = Database.open(tmp)) {
      db.transaction(c -> c.createStatement().execute("ALTER SEQUENCE app_uid RESTART WITH 61005"));
      assertThat(new AppStore(db).insert(new AppName("old"), Instant.now()).orElseThrow().uid()).isEqualTo(61005);
    }
    try (Database db = Database.open(tmp)) {
      assertThat(new AppStore(db).insert(new AppName("newer"), Instant.now()).orElseThrow().uid()).isEqualTo(61006);
    }
  }
}
