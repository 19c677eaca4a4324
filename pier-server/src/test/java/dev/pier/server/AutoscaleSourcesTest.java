package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.app.App;
import dev.pier.deploy.Platform;
import dev.pier.release.Release;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the autoscaler is shown of an app. */
class AutoscaleSourcesTest {
  @TempDir Path tmp;
  private Platform p;

  @BeforeEach
  void open() {
    p = new Platform(tmp);
  }

  @AfterEach
  void close() {
    p.close();
  }

  @Test
  void aBranchPreviewsVersionIsNeverShownToTheAutoscaler() throws Exception {
    App app = p.app("hello");
    Release v1 = p.webRelease(app);
    p.live(app, v1);
    Release preview = p.webRelease(app);
    p.versions.setRunning(app.name(), preview.version(), true);
    p.desired.ownWebCounts(a -> Map.of(preview.version(), 1));
    AutoscaleSources sources = new AutoscaleSources(p.apps, p.formations, p.reconciler, p.desired, p.runtime, null, p.logs);

    assertThat(p.reconciler.desired("hello").counts()).containsKeys(v1.version(), preview.version());
    assertThat(sources.desired("hello")).containsOnlyKeys(v1.version());
  }
}
