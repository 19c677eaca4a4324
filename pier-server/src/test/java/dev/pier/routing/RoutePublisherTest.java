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

  @BeforeEach
  void open() {
    p = new Platform(tmp);
    AppService apps = new AppService(p.apps, new DataDirs(tmp.resolve("data")), p.logs, p.clock,
        new AppService.Urls("pier.test", 8080, "http://127.0.0.1:5000"));
    routes = new RoutePublisher(apps, p.runtime, p.versions, p.processes, published::set);
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
}
