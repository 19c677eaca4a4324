package dev.pier.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.app.AppStore;
import dev.pier.model.AppName;
import dev.pier.store.Database;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A build records the runtime it built with (V14), which its release then shows. */
class BuildRuntimeTest {
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private static final AppName APP = new AppName("noded");

  @TempDir Path tmp;

  @Test
  void theRuntimeOfASucceededBuildIsFoundWithItsReleaseAndOlderBuildsHaveNone() {
    try (Database db = Database.open(tmp.resolve("db"))) {
      new AppStore(db).insert(APP, NOW).orElseThrow();
      BuildStore builds = new BuildStore(db);
      int old = builds.start(APP, "before", "admin", NOW).id();
      builds.finish(old, "succeeded", 1, "out", NOW, "nodejs", "nodejs");
      int id = builds.start(APP, "push", "admin", NOW).id();
      builds.finish(id, "succeeded", 2, "out", NOW, "nodejs", "nodejs", "Node.js 22.12.0");

      assertThat(builds.forRelease(APP, 2).orElseThrow().runtime()).isEqualTo("Node.js 22.12.0");
      assertThat(builds.forRelease(APP, 1).orElseThrow().runtime()).isNull();
    }
  }
}
