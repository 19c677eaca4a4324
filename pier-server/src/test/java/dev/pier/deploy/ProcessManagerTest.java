package dev.pier.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.app.App;
import dev.pier.errors.PlatformException;
import dev.pier.errors.Problem;
import dev.pier.model.InstanceState;
import dev.pier.release.Release;
import dev.pier.runtime.InstanceSpec;
import dev.pier.runtime.InstanceStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How instances follow the formation, replace each other and go away, against a fake runtime. */
class ProcessManagerTest {
  @TempDir Path tmp;
  private Platform p;
  private App app;

  @BeforeEach
  void open() {
    p = new Platform(tmp);
    app = p.app("hello");
  }

  @AfterEach
  void close() {
    p.close();
  }

  private List<String> names() {
    return p.runtime.list("hello").stream().map(InstanceStatus::name).toList();
  }

  private List<String> ids() {
    return p.runtime.list("hello").stream().map(InstanceStatus::id).toList();
  }

  /** Makes {@code release} live and waits until the reconciler has started its formation. */
  private void live(Release release) throws InterruptedException {
    p.live(app, release);
    p.processes.awaitSettled(app);
  }

  @Test
  void aLiveReleaseRunsOneWebInstanceAndNoneOfItsOtherTypes() throws Exception {
    Release v1 = p.release(app, Map.of("web", "node server.js", "worker", "node worker.js"));

    live(v1);

    assertThat(p.processes.formation(app.name(), v1)).isEqualTo(Map.of("web", 1, "worker", 0));
    assertThat(names()).containsExactly("web.1");
    InstanceSpec spec = p.runtime.started().getFirst();
    assertThat(spec.command()).isEqualTo("node server.js");
    assertThat(spec.release()).isEqualTo(v1.version());
    assertThat(spec.env()).containsEntry("A", "1").containsEntry("PIER_APP", "hello")
        .containsEntry("PIER_RELEASE", v1.name());
    assertThat(spec.user()).as("privileges are kept when the limits say so").isNull();
  }

  @Test
  void scalingUpStartsTheMissingIndexesAndScalingDownStopsTheHighestOnes() throws Exception {
    Release v1 = p.release(app, Map.of("web", "node server.js", "worker", "node worker.js"));
    live(v1);

    p.processes.storeScale(app, v1, Map.of("web", 3, "worker", 2), "admin");
    p.processes.awaitSettled(app);

    assertThat(names()).containsExactly("web.1", "web.2", "web.3", "worker.1", "worker.2");
    assertThat(p.runtime.stopped()).isEmpty();

    p.processes.storeScale(app, v1, Map.of("web", 1, "worker", 0), "admin");
    p.processes.awaitSettled(app);

    assertThat(names()).containsExactly("web.1");
    assertThat(p.runtime.stopped()).hasSize(4);
    assertThat(p.logs.recent("hello", 100)).anyMatch(l -> l.text().startsWith("Scaled to ")
        && l.text().contains("web@1") && l.text().contains("worker@0") && l.text().endsWith(" by admin"));
    assertThat(p.logs.recent("hello", 100)).as("the app log says why each went")
        .anyMatch(l -> l.text().startsWith("Stopping worker.2") && l.text().contains("worker of v1 scaled to 0"))
        .anyMatch(l -> l.text().startsWith("Stopping web.3") && l.text().contains("web of v1 scaled to 1"));
  }

  @Test
  void everyStartGetsAFreshGenerationSoInstanceIdsNeverCollide() throws Exception {
    Release v1 = p.webRelease(app);
    p.processes.storeScale(app, v1, Map.of("web", 2), "admin");
    live(v1);
    p.processes.restart(app, null, "admin");

    List<String> started = p.runtime.started().stream().map(InstanceSpec::id).toList();
    assertThat(started).hasSize(4).doesNotHaveDuplicates();
    assertThat(p.runtime.started()).extracting(InstanceSpec::generation).doesNotHaveDuplicates()
        .allMatch(g -> g > 0);
    assertThat(names()).containsExactly("web.1", "web.2");
  }

  @Test
  void aScaleRequestForAnUnknownTypeOrAnImpossibleCountIsRefusedWith422AndStoresNothing() throws Exception {
    Release v1 = p.release(app, Map.of("web", "node server.js", "worker", "node worker.js"));

    for (Map<String, Integer> bad : List.of(Map.of("clock", 1), Map.of("web", 101), Map.of("web", -1),
        Map.of("web", 2, "Not A Type!", 1))) {
      assertThatThrownBy(() -> p.processes.storeScale(app, v1, bad, "admin"))
          .isInstanceOfSatisfying(PlatformException.class,
              e -> assertThat(e.problem()).isEqualTo(Problem.INVALID));
    }
    assertThatThrownBy(() -> p.processes.storeScale(app, v1, Map.of("clock", 1), "admin"))
        .hasMessageContaining("no process type 'clock' in v1 (it has: ").hasMessageContaining("web")
        .hasMessageContaining("worker");
    assertThatThrownBy(() -> p.processes.storeScale(app, v1, Map.of("web", 101), "admin"))
        .hasMessageContaining("use 0 to 100");
    assertThat(p.processes.formation(app.name(), v1)).isEqualTo(Map.of("web", 1, "worker", 0));
  }

  @Test
  void aRestartStartsReplacementsBesideTheOldInstancesAndStopsTheOldOnesOnlyOnceTheNewAreUp() throws Exception {
    Release v1 = p.webRelease(app);
    p.processes.storeScale(app, v1, Map.of("web", 2), "admin");
    live(v1);
    List<String> old = ids();

    List<String> restarted = p.processes.restart(app, null, "admin");
    p.processes.awaitSettled(app);

    assertThat(restarted).containsExactly("web.1", "web.2");
    assertThat(names()).containsExactly("web.1", "web.2");
    assertThat(ids()).doesNotContainAnyElementsOf(old);
    List<FakeRuntimeBackend.Call> calls = p.runtime.calls();
    int lastStart = 0;
    int firstStop = Integer.MAX_VALUE;
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).kind() == FakeRuntimeBackend.Call.Kind.START) lastStart = i;
      else firstStop = Math.min(firstStop, i);
    }
    assertThat(lastStart).as("all replacements start before any old instance stops").isLessThan(firstStop);
    assertThat(p.runtime.stopped()).containsExactlyInAnyOrderElementsOf(old);
  }

  @Test
  void aRestartWhoseReplacementCrashesWhileBootingStopsItAndKeepsTheOldInstances() throws Exception {
    Release v1 = p.webRelease(app);
    live(v1);
    List<String> old = ids();
    p.runtime.printOnStart("Error: Cannot find module 'express'");
    p.runtime.crashOnStartWhen(spec -> !old.contains(spec.id()));

    assertThatThrownBy(() -> p.processes.restart(app, "web", "admin"))
        .isInstanceOfSatisfying(PlatformException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.CONFLICT))
        .hasMessageContaining("the old instances keep running")
        .hasMessageContaining("web.1 of v" + v1.version() + " exited while booting")
        .hasMessageContaining("Cannot find module 'express'");
    p.processes.awaitSettled(app);
    assertThat(ids()).isEqualTo(old);
    assertThat(p.runtime.stopped()).hasSize(1).doesNotContainAnyElementsOf(old);
  }

  @Test
  void restartingATypeOrInstanceThatDoesNotRunIsNotFound() throws Exception {
    Release v1 = p.webRelease(app);
    live(v1);

    assertThatThrownBy(() -> p.processes.restart(app, "worker", "admin"))
        .isInstanceOfSatisfying(PlatformException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.NOT_FOUND))
        .hasMessageContaining("'worker'");
    assertThat(p.runtime.started()).hasSize(1);
  }

  @Test
  void awaitReadyNamesTheVersionAndTheTimeoutWhenWebInstancesNeverComeUp() throws Exception {
    Release v1 = p.webRelease(app);
    p.runtime.neverReady(v1.version());
    ProcessManager.Mark mark = p.processes.mark();
    p.versions.start(app.name(), v1.version());

    String problem = p.processes.awaitReady(app, Set.of(v1.version()), mark, Duration.ofMillis(200));

    assertThat(problem).startsWith("web instances of v" + v1.version() + " did not become ready within 0 s")
        .contains("Starting process with command `node server.js`");
  }

  @Test
  void awaitReadyIsSatisfiedOnceTheTestMarksTheInstanceUp() throws Exception {
    Release v1 = p.webRelease(app);
    p.runtime.neverReady(v1.version());
    ProcessManager.Mark mark = p.processes.mark();
    p.versions.start(app.name(), v1.version());

    Future<String> waiting = Platform.inThread(
        () -> p.processes.awaitReady(app, Set.of(v1.version()), mark, Duration.ofSeconds(10)));
    awaitTrue(() -> !ids().isEmpty());
    Thread.sleep(100);
    assertThat(waiting.isDone()).isFalse();
    p.runtime.markUp("hello", ids().getFirst());

    assertThat(waiting.get(10, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void surplusInstancesAreTakenOutOfRoutingAndStoppedOnlyWhenTheRouterHasNoRequestInFlight() throws Exception {
    Platform slow = new Platform(tmp.resolve("slow-drain"), Duration.ofSeconds(30));
    try {
      App a = slow.app("hello");
      Release v1 = slow.webRelease(a);
      slow.processes.storeScale(a, v1, Map.of("web", 2), "admin");
      slow.live(a, v1);
      slow.processes.awaitSettled(a);
      String web2 = slow.runtime.list("hello").get(1).id();
      slow.inFlight.set(1);
      int publishes = slow.routePublishes.get();

      Future<?> scaling = Platform.inThread(() -> {
        slow.processes.storeScale(a, v1, Map.of("web", 1), "admin");
        slow.processes.awaitSettled(a);
        return null;
      });
      awaitTrue(() -> slow.processes.isDraining("hello", web2));
      assertThat(slow.routePublishes.get()).as("routes republished without it").isGreaterThan(publishes);
      assertThat(slow.reconciler.leavingReason("hello", web2)).as("what ps says of it")
          .contains("draining: web of v1 scaled to 1");
      Thread.sleep(200);
      assertThat(slow.runtime.stopped()).as("not stopped while a request is in flight").isEmpty();

      slow.inFlight.set(0);
      scaling.get(10, TimeUnit.SECONDS);
      assertThat(slow.runtime.stopped()).containsExactly(web2);
      assertThat(slow.processes.isDraining("hello", web2)).isFalse();
      assertThat(slow.reconciler.leavingReason("hello", web2)).isEmpty();
    } finally {
      slow.close();
    }
  }

  @Test
  void aRequestThatNeverFinishesDelaysTheStopOnlyUntilTheDrainTimeout() throws Exception {
    Release v1 = p.webRelease(app);
    live(v1);
    p.inFlight.set(1);
    p.versions.setTraffic(app.name(), new dev.pier.versions.Traffic(dev.pier.model.SplitBy.RANDOM, Map.of()));
    p.versions.setRunning(app.name(), v1.version(), false);

    long t0 = System.nanoTime();
    p.processes.awaitSettled(app);

    assertThat(p.runtime.list("hello")).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("held for the drain timeout, then stopped")
        .isGreaterThanOrEqualTo(Platform.DRAIN.minusMillis(50)).isLessThan(Duration.ofSeconds(5));
    assertThat(p.logs.recent("hello", 100)).anyMatch(l -> l.text().contains("drain timeout (300 ms) passed"));
  }

  @Test
  void stopAllStopsEveryInstanceAtOnceWithoutWaitingForTheRouterAndNothingComesBack() throws Exception {
    Release v1 = p.webRelease(app);
    p.processes.storeScale(app, v1, Map.of("web", 2), "admin");
    live(v1);
    p.inFlight.set(1);

    long t0 = System.nanoTime();
    p.processes.stopAll("hello");

    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Platform.DRAIN);
    assertThat(ids()).isEmpty();
    p.apps.delete(app.name());
    Thread.sleep(500); // two ticks of the loop
    assertThat(ids()).as("a destroyed app gets no instance back").isEmpty();
  }

  @Test
  void anInstanceCrashingIsReportedInTheAppLogAndRepublishesRoutesWhenItLeavesUp() throws Exception {
    Release v1 = p.webRelease(app);
    live(v1);
    String id = ids().getFirst();
    int publishes = p.routePublishes.get();

    p.runtime.markCrashed("hello", id, "Process exited with status 1");

    assertThat(p.runtime.list("hello").getFirst().state()).isEqualTo(InstanceState.CRASHED);
    assertThat(p.routePublishes.get()).isGreaterThan(publishes);
    assertThat(p.logs.recent("hello", 100)).extracting(l -> l.text())
        .contains("Process exited with status 1", "State changed from up to crashed");
    Thread.sleep(300);
    assertThat(ids()).as("the backend restarts crashes; the reconciler starts nothing beside it")
        .containsExactly(id);
  }

  @Test
  void anInstanceThatVanishesIsStartedAgainByTheLoop() throws Exception {
    Release v1 = p.webRelease(app);
    live(v1);
    String id = ids().getFirst();

    p.runtime.markExited("hello", id);

    awaitTrue(() -> ids().size() == 1 && !ids().getFirst().equals(id));
    assertThat(names()).containsExactly("web.1");
  }

  static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 10 s");
      Thread.sleep(10);
    }
  }
}
