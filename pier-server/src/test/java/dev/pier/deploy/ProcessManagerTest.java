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

  @Test
  void aNewReleaseRunsOneWebInstanceAndNoneOfItsOtherTypes() throws Exception {
    Release v1 = p.release(app, Map.of("web", "node server.js", "worker", "node worker.js"));

    ProcessManager.Started started = p.processes.reconcile(app, v1);

    assertThat(p.processes.formation(app.name(), v1)).isEqualTo(Map.of("web", 1, "worker", 0));
    assertThat(names()).containsExactly("web.1");
    assertThat(started.ids()).containsExactlyElementsOf(ids());
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
    p.processes.reconcile(app, v1);

    p.processes.storeScale(app, v1, Map.of("web", 3, "worker", 2), "admin");
    ProcessManager.Started up = p.processes.reconcile(app, v1);

    assertThat(names()).containsExactly("web.1", "web.2", "web.3", "worker.1", "worker.2");
    assertThat(up.ids()).hasSize(4);
    assertThat(p.runtime.stopped()).isEmpty();

    p.processes.storeScale(app, v1, Map.of("web", 1, "worker", 0), "admin");
    ProcessManager.Started down = p.processes.reconcile(app, v1);

    assertThat(down.ids()).isEmpty();
    assertThat(names()).containsExactly("web.1");
    assertThat(p.runtime.stopped()).hasSize(4);
    assertThat(p.logs.recent("hello", 100)).anyMatch(l -> l.text().startsWith("Scaled to ")
        && l.text().contains("web@1") && l.text().contains("worker@0") && l.text().endsWith(" by admin"));
  }

  @Test
  void everyStartGetsAFreshGenerationSoInstanceIdsNeverCollide() throws Exception {
    Release v1 = p.webRelease(app);
    p.processes.storeScale(app, v1, Map.of("web", 2), "admin");
    p.processes.reconcile(app, v1);
    p.processes.startAll(app, v1);

    List<String> started = p.runtime.started().stream().map(InstanceSpec::id).toList();
    assertThat(started).hasSize(4).doesNotHaveDuplicates();
    assertThat(p.runtime.started()).extracting(InstanceSpec::generation).doesNotHaveDuplicates()
        .allMatch(g -> g > 0);
    assertThat(names()).containsExactly("web.1", "web.1", "web.2", "web.2");
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
    p.processes.reconcile(app, v1);
    List<String> old = ids();

    List<String> restarted = p.processes.restart(app, Map.of(v1.version(), v1), null, "admin");

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
    p.processes.reconcile(app, v1);
    List<String> old = ids();
    p.runtime.printOnStart("Error: Cannot find module 'express'");
    p.runtime.crashOnStartWhen(spec -> !old.contains(spec.id()));

    assertThatThrownBy(() -> p.processes.restart(app, Map.of(v1.version(), v1), "web", "admin"))
        .isInstanceOfSatisfying(PlatformException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.CONFLICT))
        .hasMessageContaining("the old instances keep running")
        .hasMessageContaining("web.1 of v" + v1.version() + " exited while booting")
        .hasMessageContaining("Cannot find module 'express'");
    assertThat(ids()).isEqualTo(old);
    assertThat(p.runtime.stopped()).hasSize(1).doesNotContainAnyElementsOf(old);
  }

  @Test
  void restartingATypeOrInstanceThatDoesNotRunIsNotFound() throws Exception {
    Release v1 = p.webRelease(app);
    p.processes.reconcile(app, v1);

    assertThatThrownBy(() -> p.processes.restart(app, Map.of(v1.version(), v1), "worker", "admin"))
        .isInstanceOfSatisfying(PlatformException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.NOT_FOUND))
        .hasMessageContaining("'worker'");
    assertThat(p.runtime.started()).hasSize(1);
  }

  @Test
  void awaitReadyNamesTheVersionAndTheTimeoutWhenWebInstancesNeverComeUp() throws Exception {
    Release v1 = p.webRelease(app);
    p.runtime.neverReady(v1.version());
    ProcessManager.Started started = p.processes.reconcile(app, v1);

    String problem = p.processes.awaitReady(app, started, Duration.ofMillis(200));

    assertThat(problem).startsWith("web instances of v" + v1.version() + " did not become ready within 0 s")
        .contains("Starting process with command `node server.js`");
  }

  @Test
  void awaitReadyIsSatisfiedOnceTheTestMarksTheInstanceUp() throws Exception {
    Release v1 = p.webRelease(app);
    p.runtime.neverReady(v1.version());
    ProcessManager.Started started = p.processes.reconcile(app, v1);
    String id = started.ids().iterator().next();

    Future<String> waiting = Platform.inThread(() -> p.processes.awaitReady(app, started, Duration.ofSeconds(10)));
    Thread.sleep(100);
    assertThat(waiting.isDone()).isFalse();
    p.runtime.markUp("hello", id);

    assertThat(waiting.get(10, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void surplusInstancesAreTakenOutOfRoutingAndStoppedOnlyWhenTheRouterHasNoRequestInFlight() throws Exception {
    Platform slow = new Platform(tmp.resolve("slow-drain"), Duration.ofSeconds(30));
    try {
      App a = slow.app("hello");
      Release v1 = slow.webRelease(a);
      slow.processes.storeScale(a, v1, Map.of("web", 2), "admin");
      slow.processes.reconcile(a, v1);
      String web2 = slow.runtime.list("hello").get(1).id();
      slow.processes.storeScale(a, v1, Map.of("web", 1), "admin");
      slow.inFlight.set(1);
      int publishes = slow.routePublishes.get();

      Future<?> scaling = Platform.inThread(() -> slow.processes.reconcile(a, v1));
      awaitTrue(() -> slow.processes.isDraining("hello", web2));
      assertThat(slow.routePublishes.get()).as("routes republished without it").isGreaterThan(publishes);
      Thread.sleep(200);
      assertThat(slow.runtime.stopped()).as("not stopped while a request is in flight").isEmpty();

      slow.inFlight.set(0);
      scaling.get(10, TimeUnit.SECONDS);
      assertThat(slow.runtime.stopped()).containsExactly(web2);
      assertThat(slow.processes.isDraining("hello", web2)).isFalse();
    } finally {
      slow.close();
    }
  }

  @Test
  void aRequestThatNeverFinishesDelaysTheStopOnlyUntilTheDrainTimeout() throws Exception {
    Release v1 = p.webRelease(app);
    p.processes.reconcile(app, v1);
    p.inFlight.set(1);

    Future<?> stopping = Platform.inThread(() -> {
      p.processes.stopVersion(app, v1.version());
      return null;
    });

    stopping.get(10, TimeUnit.SECONDS);
    assertThat(p.runtime.list("hello")).isEmpty();
  }

  @Test
  void abandonStopsExactlyTheInstancesAnOperationStartedWithoutWaitingForTheRouter() throws Exception {
    Release v1 = p.webRelease(app);
    p.processes.reconcile(app, v1);
    List<String> old = ids();
    Release v2 = p.webRelease(app);
    p.runtime.neverReady(v2.version());
    ProcessManager.Started started = p.processes.startAll(app, v2);
    p.inFlight.set(1);

    p.processes.abandon(app, started);

    assertThat(ids()).isEqualTo(old);
    assertThat(Set.copyOf(p.runtime.stopped())).isEqualTo(started.ids());
  }

  @Test
  void anInstanceCrashingIsReportedInTheAppLogAndRepublishesRoutesWhenItLeavesUp() throws Exception {
    Release v1 = p.webRelease(app);
    String id = p.processes.reconcile(app, v1).ids().iterator().next();
    int publishes = p.routePublishes.get();

    p.runtime.markCrashed("hello", id, "Process exited with status 1");

    assertThat(p.runtime.list("hello").getFirst().state()).isEqualTo(InstanceState.CRASHED);
    assertThat(p.routePublishes.get()).isGreaterThan(publishes);
    assertThat(p.logs.recent("hello", 100)).extracting(l -> l.text())
        .contains("Process exited with status 1", "State changed from up to crashed");
  }

  static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 10 s");
      Thread.sleep(10);
    }
  }
}
