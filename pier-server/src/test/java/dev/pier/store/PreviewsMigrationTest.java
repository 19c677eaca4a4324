package dev.pier.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** V15 (branch previews) cut off midway by a kill -9 runs again at the next start. */
class PreviewsMigrationTest {
  @TempDir Path tmp;

  @Test
  void aStartAfterAKillThatLeftSomePreviewTablesMadeFinishesTheMigration() {
    try (Database db = Database.open(tmp)) {
      db.transaction(c -> {
        try (var s = c.createStatement()) {
          // As H2 leaves it: the first table and its index made, the rest not, V15 not recorded.
          s.execute("DROP TABLE preview_settings");
          s.execute("DROP TABLE preview_releases");
          s.execute("DELETE FROM schema_version WHERE version = 15");
        }
        return null;
      });
    }
    try (Database db = Database.open(tmp)) {
      int tables = db.query(c -> {
        try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM information_schema.tables"
            + " WHERE table_name IN ('PREVIEWS', 'PREVIEW_RELEASES', 'PREVIEW_SETTINGS')")) {
          rs.next();
          return rs.getInt(1);
        }
      });
      assertThat(tables).isEqualTo(3);
    }
  }
}
