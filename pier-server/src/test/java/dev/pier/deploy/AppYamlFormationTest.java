package dev.pier.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.app.App;
import dev.pier.autoscale.AutoscaleSpec;
import dev.pier.autoscale.Metric;
import dev.pier.build.AppScaling;
import dev.pier.build.AppScaling.Autoscale;
import dev.pier.build.BuildOutput;
import dev.pier.build.Sizes;
import dev.pier.model.LogLine;
import dev.pier.release.Release;
import dev.pier.runtime.InstanceStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What app.yaml's scaling and resources do to the stored formation at release time. */
class AppYamlFormationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private Platform p;
  private App app;
  private AppYamlFormation formation;
  private final List<String> out = new ArrayList<>();

  @BeforeEach
  void setUp() {
    p = new Platform(tmp);
    app = p.app("hello");
    formation = new AppYamlFormation(p.formations, p.logs, p.apps::setBootTimeoutSeconds);
  }

  @AfterEach
  void close() {
    p.close();
  }

  private static AppScaling manual(int n) {
    return new AppScaling(n, null, null, null, List.of(), List.of());
  }

  private static AppScaling automatic(Autoscale a) {
    return new AppScaling(null, a, null, null, List.of(), List.of());
  }

  private static AppScaling sized(String size, String resources) {
    return new AppScaling(null, null, size, resources, List.of(), List.of());
  }

  private AutoscaleSpec webSpec() throws Exception {
    return AutoscaleSpec.fromJson(JSON.readTree(p.formations.autoscale(app.name()).get("web")));
  }

  private List<String> platformLog() {
    return p.logs.recent("hello", 100).stream().map(LogLine::text).toList();
  }

  @Test
  void automaticScalingBecomesWebsAutoscaleSpec() throws Exception {
    Release v1 = p.webRelease(app);

    AppScaling applied = formation.apply(app.name(), v1,
        automatic(new Autoscale(1, 3, "concurrency", 5)), BuildOutput.collecting(out));

    assertThat(applied.autoscale()).isEqualTo(new Autoscale(1, 3, "concurrency", 5));
    assertThat(webSpec()).isEqualTo(AutoscaleSpec.of(1, 3, Metric.CONCURRENCY, 5));
    assertThat(platformLog()).contains(
        "app.yaml of v1 set: web autoscales between 1 and 3 instances at 5 concurrent requests");
    assertThat(out).containsExactly(
        "       app.yaml of v1 set: web autoscales between 1 and 3 instances at 5 concurrent requests");
  }

  @Test
  void appStartTimeoutReplacesTheBootTimeoutHealthcheckTimeoutSet() throws Exception {
    Release v1 = p.webRelease(app);
    p.apps.setBootTimeoutSeconds(app.name(), 30);

    formation.apply(app.name(), v1, AppScaling.NONE.withBootTimeout(300), BuildOutput.NONE);

    assertThat(p.apps.bootTimeoutSeconds(app.name())).contains(300);
    assertThat(platformLog()).contains("app.yaml of v1 set: web boot timeout 300 s");
  }

  @Test
  void automaticScalingKeepsTheWindowsWebHadAndReplacesTheRest() throws Exception {
    Release v1 = p.webRelease(app);
    p.formations.putAutoscale(app.name(), "web", new AutoscaleSpec(0, 10, Metric.RPS, 50,
        Duration.ofSeconds(30), Duration.ofSeconds(120), Duration.ofSeconds(600)).toJson().toString());

    formation.apply(app.name(), v1, automatic(new Autoscale(2, 4, "cpu", 65)), BuildOutput.NONE);

    assertThat(webSpec()).isEqualTo(new AutoscaleSpec(2, 4, Metric.CPU, 65,
        Duration.ofSeconds(30), Duration.ofSeconds(120), Duration.ofSeconds(600)));
  }

  @Test
  void manualScalingSetsWebsCountEndsItsAutoscalingAndTheRolloutStartsThatMany() throws Exception {
    Release v1 = p.webRelease(app);
    p.formations.putAutoscale(app.name(), "web",
        AutoscaleSpec.of(0, 5, Metric.CONCURRENCY, 10).toJson().toString());

    formation.apply(app.name(), v1, manual(2), BuildOutput.NONE);

    assertThat(p.formations.autoscale(app.name())).isEmpty();
    assertThat(p.formations.get(app.name())).containsEntry("web", 2);
    assertThat(p.rollout.apply(app, Platform.all(v1.version()), true, "admin", BuildOutput.NONE)).isNull();
    assertThat(p.runtime.list("hello")).filteredOn(s -> s.type().equals("web"))
        .extracting(InstanceStatus::index).containsExactlyInAnyOrder(1, 2);
    assertThat(platformLog()).contains("app.yaml of v1 set: web runs 2 instance(s), no autoscaling");
  }

  @Test
  void resourcesSizeEveryProcessTypeAndInstancesStartWithThatMemory() throws Exception {
    Release v1 = p.release(app, Map.of("web", "node web.js", "worker", "node worker.js"));
    p.formations.put(app.name(), Map.of("worker", 1));

    formation.apply(app.name(), v1, sized("standard-2x", "memory_gb 1"), BuildOutput.NONE);

    assertThat(p.formations.sizes(app.name()))
        .containsExactlyInAnyOrderEntriesOf(Map.of("web", "standard-2x", "worker", "standard-2x"));
    assertThat(p.rollout.apply(app, Platform.all(v1.version()), true, "admin", BuildOutput.NONE)).isNull();
    assertThat(p.runtime.started()).hasSize(2)
        .allSatisfy(spec -> assertThat(spec.memoryLimitBytes()).isEqualTo(1L << 30));
    assertThat(platformLog()).contains("app.yaml of v1 set: size standard-2x (memory_gb 1)");
  }

  @Test
  void appYamlWithoutScalingKeysChangesNothing() throws Exception {
    Release v1 = p.webRelease(app);
    p.formations.put(app.name(), Map.of("web", 3));
    p.formations.putSize(app.name(), "web", "basic");

    AppScaling applied = formation.apply(app.name(), v1, AppScaling.NONE, BuildOutput.collecting(out));

    assertThat(applied).isEqualTo(AppScaling.NONE);
    assertThat(p.formations.get(app.name())).containsEntry("web", 3);
    assertThat(p.formations.sizes(app.name())).containsEntry("web", "basic");
    assertThat(out).isEmpty();
    assertThat(platformLog()).noneMatch(l -> l.startsWith("app.yaml"));
  }

  @Test
  void releaseWithoutWebGetsTheSizeButNoScalingAndAWarning() throws Exception {
    Release v1 = p.release(app, Map.of("worker", "node worker.js"));

    AppScaling applied = formation.apply(app.name(), v1,
        new AppScaling(4, null, "basic", "memory_gb 0.25", List.of(), List.of()),
        BuildOutput.collecting(out));

    assertThat(applied.webInstances()).isNull();
    assertThat(p.formations.get(app.name())).doesNotContainKey("web");
    assertThat(p.formations.sizes(app.name())).containsExactly(Map.entry("worker", "basic"));
    assertThat(out).containsExactly(
        " !     app.yaml manual_scaling is not applied: v1 has no web process type",
        "       app.yaml of v1 set: size basic (memory_gb 0.25)");
  }

  @Test
  void theSizesAppYamlMapsOntoAreTheServersSizes() {
    assertThat(Sizes.ALL.stream().map(s -> s.name() + " " + s.memoryMb() + " " + s.cpus()).toList())
        .isEqualTo(Arrays.stream(InstanceSize.values())
            .map(s -> s.wireName() + " " + s.memoryMb() + " " + s.cpus()).toList());
  }

  @Test
  void everyAutoscaleAppYamlCanProduceIsASpecTheServerAccepts() {
    for (Autoscale a : List.of(new Autoscale(0, 100, "concurrency", 0.1),
        new Autoscale(100, 100, "concurrency", 1000), new Autoscale(0, 1, "cpu", 1),
        new Autoscale(0, 1, "cpu", 100), new Autoscale(0, 1, "cpu", 62.5))) {
      Metric metric = a.metric().equals("cpu") ? Metric.CPU : Metric.CONCURRENCY;
      assertThat(AutoscaleSpec.fromJson(a.toJson()))
          .isEqualTo(AutoscaleSpec.of(a.min(), a.max(), metric, a.target()));
    }
  }
}
