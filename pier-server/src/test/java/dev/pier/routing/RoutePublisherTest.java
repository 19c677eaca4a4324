package dev.pier.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.deploy.Platform;
import dev.pier.model.RouteTable;
import dev.pier.model.VersionRoute;
import dev.pier.release.Release;
import dev.pier.store.DataDirs;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the router is told per version: its ready instances, and whether to hold requests. */
class RoutePublisherTest {
  @TempDir Path tmp;
  private Platform p;
  private App app;
  private final AtomicReference<RouteTable> published = new AtomicReference<>();
  private RoutePublisher routes;
  private AppService appService;

  @BeforeEach
  void open() {
    p = new Platform(tmp);
    AppService apps = new AppService(p.apps, new DataDirs(tmp.resolve("data")), p.logs, p.clock,
        new AppService.Urls("pier.test", 8080, "http://127.0.0.1:5000"));
    routes = new RoutePublisher(apps, p.runtime, p.versions, p.processes, published::set);
    apps.wire(p.processes, routes);
    this.appService = apps;
    app = p.app("hello");
  }

  @AfterEach
  void close() {
    p.close();
  }

  private VersionRoute route(String host) {
    routes.publish();
    return published.get().byHost().get(host).versions().getFirst();
  }

  @Test
  void aVersionWhoseInstancesAreStillStartingHoldsRequestsInsteadOfFailingThem() throws Exception {
    Release v1 = p.webRelease(app);
    p.runtime.neverReady(v1.version());
    p.live(app, v1);
    p.processes.awaitSettled(app);

    VersionRoute r = route("hello.pier.test");

    assertThat(r.backends()).isEmpty();
    assertThat(r.hold()).isTrue();
  }

  @Test
  void aVersionScaledToNoWebInstanceFailsFastAndOneThatIsUpIsRoutedTo() throws Exception {
    Release v1 = p.webRelease(app);
    p.live(app, v1);
    p.processes.awaitSettled(app);
    assertThat(route("hello.pier.test").backends()).hasSize(1);
    assertThat(route("v1.hello.pier.test").backends()).hasSize(1);

    p.processes.storeScale(p.reload(app), v1, Map.of("web", 0), "admin");
    p.processes.awaitSettled(app);

    VersionRoute r = route("hello.pier.test");
    assertThat(r.backends()).isEmpty();
    assertThat(r.hold()).as("web=0 is no cold start: 503 at once").isFalse();
  }

  @Test
  void aVersionThatAutoscalesHoldsRequestsWhileAsleep() throws Exception {
    Release v1 = p.webRelease(app);
    p.live(app, v1);
    p.processes.storeScale(p.reload(app), v1, Map.of("web", 0), "admin");
    p.formations.putAutoscale(app.name(), "web", "{\"min\":0,\"max\":2}");
    p.processes.awaitSettled(app);

    VersionRoute r = route("hello.pier.test");

    assertThat(r.hold()).isTrue();
  }

  /** A gzipped tar holding {@code files} at its root, as slugs are. */
  private static void writeSlug(Path slug, Map<String, String> files) throws Exception {
    try (var out = java.nio.file.Files.newOutputStream(slug);
        var gz = new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(out);
        var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(gz)) {
      for (var e : files.entrySet()) {
        byte[] bytes = e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("./" + e.getKey());
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
      }
    }
  }

  @Test
  void anAppInMaintenanceCarriesItsReleasesOwnPageOnEveryRouteUntilItIsTurnedOff() throws Exception {
    routes.maintenance(new dev.pier.maintenance.MaintenancePages(p.apps, p.releases));
    Release v1 = p.webRelease(app);
    writeSlug(v1.slug(), Map.of("maintenance.html", "<p>Back soon</p>", "server.js", "// app"));
    p.live(app, v1);
    p.processes.awaitSettled(app);
    routes.publish();
    assertThat(published.get().byHost().get("hello.pier.test").maintenance()).isNull();

    appService.setMaintenance(app.name(), true, "admin");

    RouteTable table = published.get();
    for (String host : new String[] {"hello.pier.test", "v1.hello.pier.test"}) {
      assertThat(table.byHost().get(host).maintenance()).as(host).isNotNull();
      assertThat(table.byHost().get(host).maintenance().page()).isEqualTo("<p>Back soon</p>");
    }
    assertThat(appService.maintenance(app.name())).isTrue();

    appService.setMaintenance(app.name(), false, "admin");

    assertThat(published.get().byHost().get("hello.pier.test").maintenance()).isNull();
    assertThat(published.get().byHost().get("v1.hello.pier.test").maintenance()).isNull();
  }

  @Test
  void aReleaseWithoutItsOwnPageGetsTheBuiltInOne() throws Exception {
    routes.maintenance(new dev.pier.maintenance.MaintenancePages(p.apps, p.releases));
    Release v1 = p.webRelease(app);
    writeSlug(v1.slug(), Map.of("server.js", "// app"));
    p.live(app, v1);

    appService.setMaintenance(app.name(), true, "admin");

    assertThat(published.get().byHost().get("hello.pier.test").maintenance().page())
        .contains("Offline for maintenance").contains("hello");
  }
}
