package dev.pier.statics;

import static dev.pier.testing.TarEntries.file;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.deploy.Platform;
import dev.pier.model.RouteTable;
import dev.pier.model.VersionRoute;
import dev.pier.release.Release;
import dev.pier.router.statics.SiteFiles;
import dev.pier.routing.RoutePublisher;
import dev.pier.store.DataDirs;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A static release's files unpacked for the router, and removed once no version serves them. */
class StaticSitesTest {
  @TempDir Path tmp;
  private Platform p;
  private App app;
  private DataDirs dirs;
  private final AtomicReference<RouteTable> published = new AtomicReference<>();
  private RoutePublisher routes;
  private StaticSites sites;

  @BeforeEach
  void open() {
    p = new Platform(tmp);
    dirs = new DataDirs(tmp.resolve("data"));
    AppService apps = new AppService(p.apps, dirs, p.logs, p.clock,
        new AppService.Urls("pier.test", 8080, "http://127.0.0.1:5000"));
    sites = new StaticSites(dirs, p.releases);
    routes = new RoutePublisher(apps, p.runtime, p.versions, p.processes, published::set, sites);
    app = p.app("hello");
  }

  @AfterEach
  void close() {
    p.close();
  }

  @Test
  void aStaticReleaseIsServedFromItsUnpackedFilesWithoutSymlinksOrEscapesAndCleanedUpAfter() throws Exception {
    Release v1 = p.release(app, Map.of()); // no process types: a static site
    writeSlug(v1.slug());
    p.live(app, v1);

    routes.publish();

    VersionRoute route = published.get().byHost().get("hello.pier.test").versions().getFirst();
    assertThat(route.site()).isNotNull();
    assertThat(route.backends()).isEmpty();
    assertThat(route.waitsForBackends()).isFalse();
    assertThat(route.site().cleanUrls()).isTrue();
    Path root = route.site().root();
    assertThat(root).isEqualTo(dirs.root().resolve("sites/hello/v1"));
    assertThat(Files.readString(root.resolve("index.html"))).isEqualTo("<h1>static</h1>");
    assertThat(Files.readString(root.resolve("css/app.css"))).isEqualTo("body{}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("index.html"))))
        .isEqualTo("r--r--r--");
    assertThat(Files.exists(root.resolve("passwd"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.exists(root.resolve("package.json"))).isFalse();
    assertThat(Files.exists(dirs.root().resolve("sites/hello/evil.txt"))).isFalse();
    assertThat(Files.exists(dirs.root().resolve("sites/evil.txt"))).isFalse();

    Release v2 = p.webRelease(app);
    p.live(app, v2);
    routes.publish();
    assertThat(Files.exists(root)).as("v1 still runs (reachable at its version URL)").isTrue();
    p.versions.setRunning(app.name(), v1.version(), false); // as the rollout leaves it
    routes.publish();

    assertThat(published.get().byHost().get("hello.pier.test").versions().getFirst().site()).isNull();
    assertThat(Files.exists(root)).as("v1 is no longer served").isFalse();
  }

  @Test
  void aNewAppOfADeletedOnesNameGetsItsOwnFilesSizesNotTheOldOnes() throws Exception {
    Release v1 = p.release(app, Map.of());
    writeSlug(v1.slug());
    p.live(app, v1);
    routes.publish();
    Path root = published.get().byHost().get("hello.pier.test").versions().getFirst().site().root();
    SiteFiles.File old = (SiteFiles.File) SiteFiles.of(root).lookup("index.html");
    assertThat(old.identity().size()).isEqualTo("<h1>static</h1>".length());

    sites.retainApps(java.util.List.of()); // the app is deleted
    assertThat(Files.exists(root)).isFalse();
    // a new app of the same name deploys its own v1 (same site path, other files)
    writeSlug(v1.slug(), "<h1>a much longer new home page</h1>");
    routes.publish();

    SiteFiles.File now = (SiteFiles.File) SiteFiles.of(root).lookup("index.html");
    assertThat(Files.readString(root.resolve("index.html"))).isEqualTo("<h1>a much longer new home page</h1>");
    assertThat(now.identity().size()).as("not the deleted app's cached size")
        .isEqualTo("<h1>a much longer new home page</h1>".length());
  }

  private static void writeSlug(Path slug) throws Exception {
    writeSlug(slug, "<h1>static</h1>");
  }

  private static void writeSlug(Path slug, String index) throws Exception {
    Files.deleteIfExists(slug);
    try (OutputStream out = Files.newOutputStream(slug);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
      file(tar, "site/index.html", index);
      tar.putArchiveEntry(new TarArchiveEntry("site/css/"));
      tar.closeArchiveEntry();
      file(tar, "site/css/app.css", "body{}");
      TarArchiveEntry link = new TarArchiveEntry("site/passwd", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("/etc/passwd");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
      file(tar, "site/../evil.txt", "escaped");
      file(tar, "site/../../evil.txt", "escaped");
      file(tar, "package.json", "{}");
      file(tar, "pier-static.json", "{\"root\": \"site\", \"clean_urls\": true}");
    }
  }
}
