package dev.pier.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Migrations added by branches that land in any order all run once. */
class MigrationOrderTest {
  @TempDir Path tmp;

  @Test
  void aMigrationNumberedBelowTheHighestAppliedOneStillRuns() {
    try (Database db = Database.open(tmp)) {
      db.transaction(c -> {
        try (var s = c.createStatement()) {
          s.execute("DROP TABLE preview_settings");
          s.execute("DROP TABLE preview_releases");
          s.execute("DROP TABLE previews");
          s.execute("DELETE FROM schema_version WHERE version = 15");
          s.execute("INSERT INTO schema_version VALUES (99, 'V99__later.sql', CURRENT_TIMESTAMP)");
        }
        return null;
      });
    }
    try (Database db = Database.open(tmp)) {
      int previews = db.query(c -> {
        try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM previews")) {
          rs.next();
          return rs.getInt(1);
        }
      });
      assertThat(previews).isZero();
      int applied = db.query(c -> {
        try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM schema_version WHERE version = 15")) {
          rs.next();
          return rs.getInt(1);
        }
      });
      assertThat(applied).isEqualTo(1);
    }
  }
}
