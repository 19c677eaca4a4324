package dev.pier.statics;

import static dev.pier.testing.TarEntries.file;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.deploy.Platform;
import dev.pier.model.RouteTable;
import dev.pier.model.StaticHandlers;
import dev.pier.model.VersionRoute;
import dev.pier.release.Release;
import dev.pier.routing.RoutePublisher;
import dev.pier.runtime.Probes;
import dev.pier.store.DataDirs;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app.yaml handlers of a release with instances: read from its slug, their files (and only
 * those) unpacked for the router, put on the version's route.
 */
class HandlerSitesTest {
  @TempDir Path tmp;
  private Platform p;
  private App app;
  private DataDirs dirs;
  private final AtomicReference<RouteTable> published = new AtomicReference<>();
  private RoutePublisher routes;

  @BeforeEach
  void open() {
    p = new Platform(tmp);
    dirs = new DataDirs(tmp.resolve("data"));
    AppService apps = new AppService(p.apps, dirs, p.logs, p.clock,
        new AppService.Urls("pier.test", 8080, "http://127.0.0.1:5000"));
    routes = new RoutePublisher(apps, p.runtime, p.versions, p.processes, published::set,
        new StaticSites(dirs, p.releases));
    app = p.app("hello");
  }

  @AfterEach
  void close() {
    p.close();
  }

  private VersionRoute route() {
    return published.get().byHost().get("hello.pier.test").versions().getFirst();
  }

  @Test
  void aReleaseWithStaticHandlersGetsOnlyTheirFilesUnpackedAndItsHandlersOnItsRoute() throws Exception {
    Release v1 = p.webRelease(app);
    writeSlug(v1.slug(), """
        runtime: nodejs20
        handlers:
          - url: /static
            static_dir: public
          - url: /(.*\\.ico)
            static_files: icons/\\1
            upload: icons/.*\\.ico
          - url: /.*
            script: auto
        liveness_check:
          path: /healthz
          check_interval_sec: 5
          initial_delay_sec: 0
        readiness_check:
          check_interval_sec: 2
        """);
    p.live(app, v1);

    routes.publish();

    StaticHandlers handlers = route().handlers();
    assertThat(handlers).isNotNull();
    assertThat(route().site()).isNull();
    Path root = handlers.root();
    assertThat(root).isEqualTo(dirs.root().resolve("sites/hello/v1"));
    assertThat(Files.readString(root.resolve("public/css/a.css"))).isEqualTo("body{}");
    assertThat(Files.readString(root.resolve("icons/favicon.ico"))).isEqualTo("ICO");
    assertThat(Files.exists(root.resolve("server.js"))).as("the app's code is not servable").isFalse();
    assertThat(Files.exists(root.resolve("icons/notes.txt"))).as("not matched by upload").isFalse();
    assertThat(Files.exists(root.resolve("public/.env"))).as("dot files are never served").isFalse();
    assertThat(Files.exists(root.resolve("public/passwd"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.exists(dirs.root().resolve("sites/hello/evil.txt"))).isFalse();
    assertThat(handlers.match("/static/css/a.css").file()).isEqualTo("public/css/a.css");
    assertThat(handlers.match("/api")).isNull();

    Probes probes = SlugAppYaml.probes(v1.slug());
    assertThat(probes.readinessInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(probes.liveness()).isEqualTo(new Probes.Liveness("/healthz", Duration.ofSeconds(5),
        Duration.ofSeconds(4), 4, 2, Duration.ZERO));
  }

  @Test
  void aReleaseWithoutHandlersRoutesEveryPathToItsInstancesAndIsNotProbed() throws Exception {
    Release v1 = p.webRelease(app);
    writeSlug(v1.slug(), "runtime: nodejs20\n");
    p.live(app, v1);

    routes.publish();

    assertThat(route().handlers()).isNull();
    assertThat(Files.exists(dirs.root().resolve("sites/hello/v1"))).isFalse();
    assertThat(SlugAppYaml.probes(v1.slug())).isEqualTo(Probes.NONE);
  }

  private static void writeSlug(Path slug, String appYaml) throws Exception {
    try (OutputStream out = Files.newOutputStream(slug);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
      file(tar, "app.yaml", appYaml);
      file(tar, "server.js", "require('http')");
      file(tar, "public/css/a.css", "body{}");
      file(tar, "icons/favicon.ico", "ICO");
      file(tar, "icons/notes.txt", "notes");
      file(tar, "public/.env", "SECRET=1");
      TarArchiveEntry link = new TarArchiveEntry("public/passwd", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("/etc/passwd");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
      file(tar, "public/../../evil.txt", "escaped");
    }
  }
}
