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
}
