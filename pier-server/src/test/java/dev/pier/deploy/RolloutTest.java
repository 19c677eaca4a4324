package dev.pier.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.app.App;
import dev.pier.build.BuildOutput;
import dev.pier.errors.PlatformException;
import dev.pier.errors.Problem;
import dev.pier.model.SplitBy;
import dev.pier.release.Release;
import dev.pier.runtime.InstanceStatus;
import dev.pier.store.Leases;
import dev.pier.versions.Traffic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Moving traffic between versions, against a fake runtime and a real store. */
class RolloutTest {
  @TempDir Path tmp;
  private Platform p;
  private App app;
  private Release v1;
  private final List<String> out = new ArrayList<>();

  @BeforeEach
  void deployFirstVersion() throws Exception {
    p = new Platform(tmp);
    app = p.app("hello");
    v1 = p.webRelease(app);
    assertThat(p.rollout.apply(app, Platform.all(v1.version()), true, "admin", BuildOutput.NONE)).isNull();
    app = p.reload(app);
  }

  @AfterEach
  void close() {
    p.close();
  }

  private List<Integer> runningReleases() {
    return p.runtime.list("hello").stream().map(InstanceStatus::release).toList();
  }

  @Test
  void aVersionThatNeverBecomesReadyFailsAndChangesNothing() throws Exception {
    Release v2 = p.webRelease(app);
    p.runtime.neverReady(v2.version());
    List<String> v1Ids = p.runtime.list("hello").stream().map(InstanceStatus::id).toList();

    String problem = p.rollout.apply(app, Platform.all(v2.version()), true, "admin", BuildOutput.collecting(out));

    assertThat(problem).contains("did not become ready");
    assertThat(p.versions.traffic(app.name())).isEqualTo(Platform.all(v1.version()));
    assertThat(p.reload(app).currentRelease()).isEqualTo(v1.version());
    assertThat(p.versions.running(app.name())).containsExactly(v1.version());
    assertThat(runningReleases()).containsExactly(v1.version());
    assertThat(p.runtime.stopped()).as("only v2's instance is stopped").hasSize(1).doesNotContainAnyElementsOf(v1Ids);
    assertThat(out).contains("       Starting v2 (web=1)...").noneMatch(l -> l.contains("Traffic:"));
  }

  @Test
  void aVersionThatCrashesAtBootFailsWithItsOutputAndChangesNothing() throws Exception {
    Release v2 = p.webRelease(app);
    p.runtime.crashOnStart(v2.version());
    p.runtime.printOnStart("SyntaxError: Unexpected token");

    String problem = p.rollout.apply(app, Platform.all(v2.version()), true, "admin", BuildOutput.NONE);

    assertThat(problem).contains("web.1 of v2 exited while booting").contains("SyntaxError: Unexpected token");
    assertThat(p.versions.traffic(app.name())).isEqualTo(Platform.all(v1.version()));
    assertThat(runningReleases()).containsExactly(v1.version());
  }

  @Test
  void aSuccessfulRolloutMovesTrafficAndMakesTheMainVersionCurrentThenStopsTheUnusedOne() throws Exception {
    Release v2 = p.webRelease(app);

    String problem = p.rollout.apply(app, Platform.all(v2.version()), true, "admin", BuildOutput.collecting(out));

    assertThat(problem).isNull();
    assertThat(p.versions.traffic(app.name())).isEqualTo(Platform.all(v2.version()));
    assertThat(p.reload(app).currentRelease()).isEqualTo(v2.version());
    assertThat(p.versions.running(app.name())).containsExactly(v2.version());
    assertThat(runningReleases()).containsExactly(v2.version());
    assertThat(out).contains("       Traffic: v2 100% (split by random)");
    assertThat(p.logs.recent("hello", 100)).anyMatch(l -> l.text().equals("Traffic v2 100% (split by random) by admin"));
  }

  @Test
  void theOldVersionIsStoppedOnlyAfterTrafficMovedAndItsRequestsFinished() throws Exception {
    Release v2 = p.webRelease(app);
    p.inFlight.set(1);
    int trafficBefore = p.versions.traffic(app.name()).main();

    Future<String> applying =
        Platform.inThread(() -> p.rollout.apply(app, Platform.all(v2.version()), true, "admin", BuildOutput.NONE));
    ProcessManagerTest.awaitTrue(() -> p.versions.traffic(app.name()).main() == v2.version());
    assertThat(trafficBefore).isEqualTo(v1.version());
    p.inFlight.set(0);

    assertThat(applying.get(10, TimeUnit.SECONDS)).isNull();
    assertThat(runningReleases()).containsExactly(v2.version());
  }

  @Test
  void aSplitWithoutStopUnusedKeepsTheVersionThatLostTrafficRunning() throws Exception {
    Release v2 = p.webRelease(app);

    assertThat(p.rollout.apply(app, Platform.all(v2.version()), false, "admin", BuildOutput.NONE)).isNull();

    assertThat(runningReleases()).containsExactlyInAnyOrder(v1.version(), v2.version());
    assertThat(p.versions.running(app.name())).containsExactly(v1.version(), v2.version());
  }

  @Test
  void aSplitStartsEveryVersionThatGetsTrafficAndMakesTheLargerShareCurrent() throws Exception {
    Release v2 = p.webRelease(app);
    Traffic split = new Traffic(SplitBy.RANDOM, Map.of(v1.version(), 30, v2.version(), 70));

    assertThat(p.rollout.apply(app, split, true, "admin", BuildOutput.NONE)).isNull();

    assertThat(runningReleases()).containsExactlyInAnyOrder(v1.version(), v2.version());
    assertThat(p.reload(app).currentRelease()).isEqualTo(v2.version());
    assertThat(p.runtime.started()).as("v1 already ran: not started again").hasSize(2);
  }

  @Test
  void aVersionWhoseSlugIsGoneCannotGetTraffic() throws Exception {
    Release v2 = p.webRelease(app);
    Files.delete(v2.slug());

    assertThatThrownBy(() -> p.rollout.apply(app, Platform.all(v2.version()), true, "admin", BuildOutput.NONE))
        .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.problem()).isEqualTo(Problem.CONFLICT))
        .hasMessageContaining("the slug of v2 is gone");
    assertThatThrownBy(() -> p.rollout.runnable(app, 9))
        .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.problem()).isEqualTo(Problem.NOT_FOUND));
    assertThat(p.versions.traffic(app.name())).isEqualTo(Platform.all(v1.version()));
  }

  @Test
  void aVersionThatStillGetsTrafficCannotBeStopped() throws Exception {
    assertThatThrownBy(() -> p.rollout.stop(app, v1.version()))
        .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.problem()).isEqualTo(Problem.CONFLICT))
        .hasMessageContaining("v1 still gets traffic");
    assertThat(runningReleases()).containsExactly(v1.version());
  }

  @Test
  void aVersionStartedWithoutTrafficRunsBesideTheLiveOneUntilStopped() throws Exception {
    Release v2 = p.webRelease(app);

    assertThat(p.rollout.startWithoutTraffic(app, v2)).isNull();
    assertThat(p.versions.running(app.name())).containsExactly(v1.version(), v2.version());
    assertThat(p.versions.traffic(app.name())).isEqualTo(Platform.all(v1.version()));

    p.rollout.stop(app, v2.version());
    assertThat(p.versions.running(app.name())).containsExactly(v1.version());
    assertThat(runningReleases()).containsExactly(v1.version());
  }

  @Test
  void changesToOneAppRunOneAtATimeAndTheSecondSaysItWaits() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
    Future<Object> first = Platform.inThread(() -> p.rollout.locked(app, BuildOutput.NONE, () -> {
      inside.countDown();
      release.await();
      order.add("first");
      return null;
    }));
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

    Future<Boolean> second = Platform.inThread(() -> p.rollout.locked(app, BuildOutput.collecting(out), () -> order.add("second")));
    ProcessManagerTest.awaitTrue(() -> {
      synchronized (out) {
        return !out.isEmpty();
      }
    });
    assertThat(out).containsExactly("       Another change to hello is in progress; waiting for it to finish...");
    assertThat(second.isDone()).isFalse();
    App other = p.app("other");
    assertThat(p.rollout.locked(other, BuildOutput.NONE, () -> "ran")).as("other apps do not wait").isEqualTo("ran");
    assertThat(p.rollout.ifIdle(app.name(), () -> "ran")).as("checks skip a busy app").isEmpty();

    release.countDown();
    first.get(10, TimeUnit.SECONDS);
    second.get(10, TimeUnit.SECONDS);
    assertThat(order).containsExactly("first", "second");
    assertThat(p.rollout.ifIdle(app.name(), () -> "ran")).contains("ran");
  }

  @Test
  void aChangeInProgressOnAnotherServerSharingTheStoreMakesTheSecondWaitAndSaySo() throws Exception {
    Leases serverA = new Leases(p.db, java.time.InstantSource.system(), java.time.Duration.ofSeconds(30));
    Leases serverB = new Leases(p.db, java.time.InstantSource.system(), java.time.Duration.ofSeconds(30));
    try {
      Rollout a = new Rollout(p.processes, p.versions, p.releases, p.logs, () -> {}, serverA);
      Rollout b = new Rollout(p.processes, p.versions, p.releases, p.logs, () -> {}, serverB);
      CountDownLatch inside = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
      Future<Object> first = Platform.inThread(() -> a.locked(app, BuildOutput.NONE, () -> {
        inside.countDown();
        release.await();
        order.add("a");
        return null;
      }));
      assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

      Future<Boolean> second = Platform.inThread(() -> b.locked(app, BuildOutput.collecting(out), () -> order.add("b")));
      ProcessManagerTest.awaitTrue(() -> {
        synchronized (out) {
          return !out.isEmpty();
        }
      });
      assertThat(out).containsExactly("       Another server is changing hello; waiting for it to finish...");
      assertThat(b.ifIdle(app.name(), () -> "ran")).as("checks on the other server skip the busy app").isEmpty();
      Thread.sleep(200);
      assertThat(second.isDone()).isFalse();

      release.countDown();
      first.get(10, TimeUnit.SECONDS);
      second.get(10, TimeUnit.SECONDS);
      assertThat(order).containsExactly("a", "b");
      assertThat(serverA.holderOf("app:hello")).as("released after the change").isEmpty();
    } finally {
      serverA.close();
      serverB.close();
    }
  }
}
