package dev.pier.previews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.build.BuildOutput;
import dev.pier.config.ConfigStore;
import dev.pier.deploy.Platform;
import dev.pier.errors.PlatformException;
import dev.pier.model.Route;
import dev.pier.model.RouteTable;
import dev.pier.release.Release;
import dev.pier.routing.RoutePublisher;
import dev.pier.store.DataDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Previews against the real store, desired state and route publisher, with a fake runtime: what
 * runs for a preview, where it answers, and when it sleeps and wakes.
 */
class PreviewServiceTest {
  @TempDir Path tmp;
  private Platform p;
  private App app;
  private PreviewStore store;
  private PreviewActivity activity;
  private PreviewService previews;
  private IdlePreviews idle;
  private RoutePublisher routes;
  private final AtomicReference<RouteTable> published = new AtomicReference<>();

  @BeforeEach
  void open() {
    p = new Platform(tmp);
    AppService apps = new AppService(p.apps, new DataDirs(tmp.resolve("data")), p.logs, p.clock,
        new AppService.Urls("pier.test", 8080, "http://127.0.0.1:5000"));
    routes = new RoutePublisher(apps, p.runtime, p.versions, p.processes, published::set);
    apps.wire(p.processes, routes);
    store = new PreviewStore(p.db);
    activity = new PreviewActivity(p.clock);
    idle = new IdlePreviews(store, activity, p.reconciler::signal, p.logs, p.clock);
    previews = new PreviewService(apps, null, new ConfigStore(p.db), p.releases, p.versions, p.rollout, store,
        idle, routes::publish, p.runtime::list, p.logs, p.clock);
    p.desired.ownWebCounts(previews::webCounts);
    routes.previews(previews.routes());
    app = p.app("hello");
  }

  @AfterEach
  void close() {
    p.close();
  }

  /** v1 serves the app with web=2 and worker=1; v2 is feature-x's preview, running. */
  private Release mainAndPreview() throws Exception {
    Release v1 = p.release(app, Map.of("web", "node server.js", "worker", "node worker.js"));
    p.processes.storeScale(app, v1, Map.of("web", 2, "worker", 1), "admin");
    p.live(app, v1);
    Release v2 = p.release(app, Map.of("web", "node server.js", "worker", "node worker.js"));
    store.addRelease(app.name(), v2.version(), "feature/x");
    store.save(new Preview("hello", "feature/x", "feature-x", v2.version(), "abc1234", Map.of(), false, null,
        p.clock.instant(), p.clock.instant()));
    p.versions.setRunning(app.name(), v2.version(), true);
    return v2;
  }

  @Test
  void aPreviewRunsOneWebInstanceWhateverTheAppsFormation() throws Exception {
    Release v2 = mainAndPreview();
    var desired = p.desired.desired("hello");
    assertThat(desired.counts().get(1)).containsEntry("web", 2).containsEntry("worker", 1);
    assertThat(desired.counts().get(v2.version())).isEqualTo(Map.of("web", 1));
  }

  @Test
  void aPreviewAnswersAtItsOwnHostOnlyNeverOnTheAppsHostOrAVersionHost() throws Exception {
    Release v2 = mainAndPreview();
    p.processes.awaitSettled(app);
    routes.publish();
    Map<String, Route> byHost = published.get().byHost();
    assertThat(byHost).containsKeys("hello.pier.test", "v1.hello.pier.test", "feature-x.hello.pier.test")
        .doesNotContainKey("v2.hello.pier.test");
    assertThat(byHost.get("hello.pier.test").versions()).extracting(v -> v.version()).containsOnly(1);
    Route preview = byHost.get("feature-x.hello.pier.test");
    assertThat(preview.versions()).singleElement().satisfies(v -> {
      assertThat(v.version()).isEqualTo(v2.version());
      assertThat(v.backends()).hasSize(1);
    });
  }

  @Test
  void aPreviewGetsTheAppsOwnRouterLimitsLikeItsOtherHosts() throws Exception {
    mainAndPreview();
    p.processes.awaitSettled(app);
    var limits = new dev.pier.model.RouteLimits(Duration.ofSeconds(5), null, null, 1024);
    routes.limits(() -> Map.of("hello", limits));
    routes.publish();
    assertThat(published.get().byHost().get("hello.pier.test").limits()).isEqualTo(limits);
    assertThat(published.get().byHost().get("feature-x.hello.pier.test").limits()).isEqualTo(limits);
  }

  @Test
  void anIdlePreviewSleepsWithNoInstanceButStillHoldsRequestsAndARequestWakesIt() throws Exception {
    Release v2 = mainAndPreview();
    store.setIdleLimit(app.name(), Duration.ofHours(1));
    p.clock.advance(Duration.ofMinutes(59));
    idle.sweep();
    assertThat(store.find(app.name(), "feature/x").orElseThrow().asleep()).isFalse();

    p.clock.advance(Duration.ofMinutes(2));
    idle.sweep();
    assertThat(store.find(app.name(), "feature/x").orElseThrow().asleep()).isTrue();
    assertThat(p.desired.desired("hello").count(v2.version(), "web")).isZero();
    p.processes.awaitSettled(app);
    routes.publish();
    var route = published.get().byHost().get("feature-x.hello.pier.test").versions().getFirst();
    assertThat(route.backends()).isEmpty();
    assertThat(route.hold()).as("a request waits while it wakes").isTrue();

    idle.wake("hello", v2.version());
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (store.find(app.name(), "feature/x").orElseThrow().asleep() && System.nanoTime() < deadline) Thread.sleep(10);
    assertThat(store.find(app.name(), "feature/x").orElseThrow().asleep()).isFalse();
    assertThat(p.desired.desired("hello").count(v2.version(), "web")).isEqualTo(1);
  }

  @Test
  void aRequestThroughTheRouterKeepsAPreviewAwake() throws Exception {
    Release v2 = mainAndPreview();
    store.setIdleLimit(app.name(), Duration.ofHours(1));
    p.clock.advance(Duration.ofMinutes(50));
    activity.seen("hello", v2.version());
    p.clock.advance(Duration.ofMinutes(50));
    idle.sweep();
    Preview after = store.find(app.name(), "feature/x").orElseThrow();
    assertThat(after.asleep()).isFalse();
    assertThat(after.lastRequest()).isEqualTo(Instant.parse("2026-12-07T03:50:00Z"));
  }

  @Test
  void aConfigChangeStartsTheNewReleaseBesideTheOldOneWhichThenStops() throws Exception {
    Release v2 = mainAndPreview();
    p.processes.awaitSettled(app);
    previews.updateOverrides(app, "feature/x", Map.of("A", "1"), "admin");
    Preview after = store.find(app.name(), "feature/x").orElseThrow();
    assertThat(after.version()).isGreaterThan(v2.version());
    assertThat(after.overrides()).containsEntry("A", "1");
    p.processes.awaitSettled(app);
    assertThat(p.runtime.list("hello")).filteredOn(s -> s.release() == after.version()).hasSize(1);
    assertThat(p.runtime.list("hello")).noneMatch(s -> s.release() == v2.version());
  }

  @Test
  void aPreviewReleaseNoPreviewServesRunsNoInstanceLikeTheLeftoversOfAKillDuringALaunchOrARemoval()
      throws Exception {
    Release v2 = mainAndPreview();
    Release newer = p.webRelease(app); // its launch cut off before the preview recorded it
    store.addRelease(app.name(), newer.version(), "feature/x");
    Release orphan = p.webRelease(app); // its preview row deleted before it stopped
    store.addRelease(app.name(), orphan.version(), "gone-branch");
    p.versions.setRunning(app.name(), newer.version(), true);
    p.versions.setRunning(app.name(), orphan.version(), true);
    var desired = p.desired.desired("hello");
    assertThat(desired.count(v2.version(), "web")).isEqualTo(1);
    assertThat(desired.count(newer.version(), "web")).isZero();
    assertThat(desired.count(orphan.version(), "web")).isZero();
    p.processes.awaitSettled(app);
    assertThat(p.runtime.list("hello")).noneMatch(s -> s.release() == newer.version() || s.release() == orphan.version());
  }

  @Test
  void removingAPreviewStopsItAndRemovingOneThatDoesNotExistDoesNothing() throws Exception {
    Release v2 = mainAndPreview();
    p.processes.awaitSettled(app);
    assertThat(previews.remove(app, "no-such-branch", "admin", BuildOutput.NONE)).isFalse();
    assertThat(previews.remove(app, "feature/x", "admin", BuildOutput.NONE)).isTrue();
    assertThat(p.versions.running(app.name())).doesNotContain(v2.version());
    assertThat(p.runtime.list("hello")).noneMatch(s -> s.release() == v2.version());
    routes.publish();
    assertThat(published.get().byHost()).doesNotContainKey("feature-x.hello.pier.test");
    assertThat(previews.isPreviewRelease(app.name(), v2.version())).as("still never a rollback target").isTrue();
  }

  @Test
  void aSleepDecidedForTheReleaseAPreviewServedBeforeItsLastDeployChangesNothing() throws Exception {
    Release v2 = mainAndPreview();
    assertThat(store.setAsleep(app.name(), "feature/x", v2.version() - 1, true)).isFalse();
    assertThat(store.find(app.name(), "feature/x").orElseThrow().asleep()).isFalse();
    assertThat(store.setAsleep(app.name(), "feature/x", v2.version(), true)).isTrue();
  }

  @Test
  void configForAPreviewThatDoesNotExistIsAClearNotFound() {
    assertThatThrownBy(() -> previews.updateOverrides(app, "nope", Map.of("A", "1"), "admin"))
        .isInstanceOf(PlatformException.class)
        .hasMessageContaining("has no preview of branch 'nope'");
  }

  @Test
  void anIdleLimitOutsideTenSecondsToAYearIsRefused() {
    assertThatThrownBy(() -> idle.setLimit(app, Duration.ofSeconds(5), "admin"))
        .isInstanceOf(PlatformException.class).hasMessageContaining("10 seconds");
    idle.setLimit(app, Duration.ofDays(2), "admin");
    assertThat(idle.limit(app)).isEqualTo(Duration.ofDays(2));
    assertThat(idle.limit(p.app("other"))).isEqualTo(IdlePreviews.DEFAULT);
  }
}
