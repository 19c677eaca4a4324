package dev.pier.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.build.BuildOutput;
import dev.pier.errors.PlatformException;
import dev.pier.errors.Problem;
import dev.pier.model.SplitBy;
import dev.pier.release.Release;
import dev.pier.release.ReleaseService;
import dev.pier.runtime.InstanceStatus;
import dev.pier.store.DataDirs;
import dev.pier.versions.Traffic;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scaling and restarting across an app's running versions, against a fake runtime. */
class ScalerTest {
  @TempDir Path tmp;
  private Platform p;
  private Scaler scaler;
  private App app;

  @BeforeEach
  void open() {
    p = new Platform(tmp);
    AppService apps = new AppService(p.apps, new DataDirs(tmp.resolve("data")), p.logs, p.clock,
        new AppService.Urls("pier.test", 8080, "http://127.0.0.1:5000"));
    scaler = new Scaler(apps, new ReleaseService(p.releases), p.processes, p.rollout);
    app = p.app("hello");
  }

  @AfterEach
  void close() {
    p.close();
  }

  private List<String> instancesOf(int version) {
    return p.runtime.list("hello").stream().filter(s -> s.release() == version).map(InstanceStatus::name).toList();
  }

  @Test
  void scalingAppliesTheNewCountsToEveryRunningVersion() throws Exception {
    Release v1 = p.release(app, Map.of("web", "node server.js", "worker", "node worker.js"));
    Release v2 = p.release(app, Map.of("web", "node server.js", "worker", "node worker.js"));
    p.rollout.apply(app, new Traffic(SplitBy.RANDOM, Map.of(v1.version(), 50, v2.version(), 50)), true, "admin",
        BuildOutput.NONE);

    Map<String, Integer> result = scaler.scale(app, Map.of("web", 2, "worker", 1), "admin");

    assertThat(result).isEqualTo(Map.of("web", 2, "worker", 1));
    assertThat(instancesOf(v1.version())).containsExactly("web.1", "web.2", "worker.1");
    assertThat(instancesOf(v2.version())).containsExactly("web.1", "web.2", "worker.1");

    scaler.scale(app, Map.of("web", 0), "admin");
    assertThat(instancesOf(v1.version())).containsExactly("worker.1");
    assertThat(instancesOf(v2.version())).containsExactly("worker.1");
  }

  @Test
  void scalingAnUnknownTypeIsRefusedWith422AndStartsNothing() throws Exception {
    Release v1 = p.webRelease(app);
    p.rollout.apply(app, Platform.all(v1.version()), true, "admin", BuildOutput.NONE);
    int starts = p.runtime.started().size();

    assertThatThrownBy(() -> scaler.scale(app, Map.of("worker", 1), "admin"))
        .isInstanceOfSatisfying(PlatformException.class, e -> {
          assertThat(e.problem()).isEqualTo(Problem.INVALID);
          assertThat(e.problem().status).isEqualTo(422);
        })
        .hasMessageContaining("no process type 'worker' in v1 (it has: web)");
    assertThat(p.runtime.started()).hasSize(starts);
    assertThat(p.formations.get(app.name())).isEqualTo(Map.of("web", 1));
  }

  @Test
  void scalingPastTheBoundsIsRefusedWith422() throws Exception {
    Release v1 = p.webRelease(app);
    p.rollout.apply(app, Platform.all(v1.version()), true, "admin", BuildOutput.NONE);

    for (int count : new int[] {-1, ProcessManager.MAX_PER_TYPE + 1}) {
      assertThatThrownBy(() -> scaler.scale(app, Map.of("web", count), "admin"))
          .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.problem().status).isEqualTo(422))
          .hasMessageContaining("invalid count " + count + " for web: use 0 to 100");
    }
    assertThat(scaler.scale(app, Map.of("web", ProcessManager.MAX_PER_TYPE), "admin"))
        .containsEntry("web", ProcessManager.MAX_PER_TYPE);
    assertThat(instancesOf(v1.version())).hasSize(ProcessManager.MAX_PER_TYPE);
  }

  @Test
  void anAppThatWasNeverDeployedCannotBeScaledOrRestarted() {
    assertThatThrownBy(() -> scaler.scale(app, Map.of("web", 2), "admin"))
        .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.problem()).isEqualTo(Problem.CONFLICT))
        .hasMessageContaining("has no release yet");
    assertThatThrownBy(() -> scaler.restart(app, null, "admin"))
        .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.problem()).isEqualTo(Problem.CONFLICT));
    assertThat(p.runtime.calls()).isEmpty();
  }

  @Test
  void theLoopBringsBackTheInstancesOfEveryRunningVersionAfterAServerStart() throws Exception {
    Release v1 = p.webRelease(app);
    Release v2 = p.webRelease(app);
    p.versions.setTraffic(app.name(), Platform.all(v2.version()));
    p.versions.setRunning(app.name(), v1.version(), true);

    p.processes.awaitSettled(p.reload(app));

    assertThat(instancesOf(v1.version())).containsExactly("web.1");
    assertThat(instancesOf(v2.version())).containsExactly("web.1");
  }

  @Test
  void aRestartReplacesTheInstancesOfEveryRunningVersion() throws Exception {
    Release v1 = p.webRelease(app);
    Release v2 = p.webRelease(app);
    p.rollout.apply(app, new Traffic(SplitBy.RANDOM, Map.of(v1.version(), 50, v2.version(), 50)), true, "admin",
        BuildOutput.NONE);
    List<String> before = p.runtime.list("hello").stream().map(InstanceStatus::id).toList();

    assertThat(scaler.restart(p.reload(app), null, "admin"))
        .containsExactlyInAnyOrder("web.1@v" + v1.version(), "web.1@v" + v2.version());

    assertThat(p.runtime.list("hello")).hasSize(2).extracting(InstanceStatus::id).doesNotContainAnyElementsOf(before);
    assertThat(p.runtime.list("hello")).extracting(InstanceStatus::release)
        .containsExactlyInAnyOrder(v1.version(), v2.version());
  }

  @Test
  void anInstanceNamedWithItsVersionRestartsOnlyThatVersionsInstance() throws Exception {
    Release v1 = p.webRelease(app);
    Release v2 = p.webRelease(app);
    p.rollout.apply(app, new Traffic(SplitBy.RANDOM, Map.of(v1.version(), 90, v2.version(), 10)), true, "admin",
        BuildOutput.NONE);
    String v1Id = idOf(v1.version());
    String v2Id = idOf(v2.version());

    assertThat(scaler.restart(p.reload(app), "web.1@v" + v2.version(), "admin"))
        .containsExactly("web.1@v" + v2.version());

    assertThat(idOf(v1.version())).isEqualTo(v1Id);
    assertThat(idOf(v2.version())).isNotEqualTo(v2Id);
    assertThat(p.runtime.list("hello")).hasSize(2);
  }

  @Test
  void aBareInstanceNameThatRunsInTwoVersionsIsRefusedNamingTheChoices() throws Exception {
    Release v1 = p.webRelease(app);
    Release v2 = p.webRelease(app);
    p.rollout.apply(app, new Traffic(SplitBy.RANDOM, Map.of(v1.version(), 50, v2.version(), 50)), true, "admin",
        BuildOutput.NONE);
    List<String> before = p.runtime.list("hello").stream().map(InstanceStatus::id).toList();

    assertThatThrownBy(() -> scaler.restart(p.reload(app), "web.1", "admin"))
        .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.problem()).isEqualTo(Problem.CONFLICT))
        .hasMessageContaining("web.1@v" + v1.version()).hasMessageContaining("web.1@v" + v2.version());
    assertThatThrownBy(() -> scaler.restart(p.reload(app), "web.1@v99", "admin"))
        .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.problem()).isEqualTo(Problem.NOT_FOUND))
        .hasMessageContaining("v99");
    assertThatThrownBy(() -> scaler.restart(p.reload(app), "web.1@latest", "admin"))
        .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.problem()).isEqualTo(Problem.INVALID));

    assertThat(p.runtime.list("hello")).extracting(InstanceStatus::id).containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void aBareInstanceNameOfASingleVersionAppStaysUnqualified() throws Exception {
    p.live(app, p.webRelease(app));
    p.processes.awaitSettled(p.reload(app));

    assertThat(scaler.restart(p.reload(app), "web.1", "admin")).containsExactly("web.1");
  }

  private String idOf(int version) {
    return p.runtime.list("hello").stream().filter(s -> s.release() == version).map(InstanceStatus::id)
        .findFirst().orElseThrow();
  }
}
