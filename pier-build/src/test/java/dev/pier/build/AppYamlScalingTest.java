package dev.pier.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.build.AppScaling.Autoscale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** app.yaml's automatic_scaling, manual_scaling and resources, as {@link AppYaml#parse} maps them. */
class AppYamlScalingTest {

  private static AppScaling scaling(String body) throws BuildFailure {
    return AppYaml.parse("runtime: nodejs20\n" + body).scaling();
  }

  @Test
  void fileWithoutScalingKeysChangesNothing() throws BuildFailure {
    AppScaling s = scaling("entrypoint: node app.js\n");

    assertThat(s).isEqualTo(AppScaling.NONE);
    assertThat(s.isEmpty()).isTrue();
    assertThat(s.describe()).isEqualTo("nothing");
  }

  @Test
  void automaticScalingMapsMinMaxAndTargetConcurrency() throws BuildFailure {
    AppScaling s = scaling("""
        automatic_scaling:
          min_instances: 1
          max_instances: 3
          target_concurrent_requests: 5
        """);

    assertThat(s.autoscale()).isEqualTo(new Autoscale(1, 3, "concurrency", 5));
    assertThat(s.webInstances()).isNull();
    assertThat(s.warnings()).isEmpty();
    assertThat(s.autoscale().toJson().toString())
        .isEqualTo("{\"min\":1,\"max\":3,\"target_concurrency\":5}");
    assertThat(s.describe())
        .isEqualTo("web autoscales between 1 and 3 instances at 5 concurrent requests");
  }

  @Test
  void emptyAutomaticScalingTakesEveryDefault() throws BuildFailure {
    AppScaling s = scaling("automatic_scaling:\n");

    assertThat(s.autoscale()).isEqualTo(new Autoscale(0, 100, "concurrency", 10));
    assertThat(s.notes()).containsExactly(
        "app.yaml automatic_scaling has no target: web aims at 10 concurrent requests per instance");
  }

  @Test
  void maxInstancesZeroMeansNoLimitAndAboveOneHundredIsCappedWithAWarning() throws BuildFailure {
    assertThat(scaling("automatic_scaling: {max_instances: 0}\n").autoscale().max()).isEqualTo(100);

    AppScaling s = scaling("automatic_scaling: {min_instances: 2, max_instances: 500}\n");

    assertThat(s.autoscale().min()).isEqualTo(2);
    assertThat(s.autoscale().max()).isEqualTo(100);
    assertThat(s.warnings()).containsExactly("app.yaml automatic_scaling.max_instances 500 is"
        + " capped at 100, the most instances Pier runs per process type");
  }

  @Test
  void maxConcurrentRequestsIsTheTargetWhenTargetConcurrentRequestsIsAbsent() throws BuildFailure {
    AppScaling s = scaling("automatic_scaling: {max_concurrent_requests: 8}\n");

    assertThat(s.autoscale()).isEqualTo(new Autoscale(0, 100, "concurrency", 8));
    assertThat(s.notes()).containsExactly("app.yaml max_concurrent_requests (8) is web's target"
        + " concurrency (there is no target_concurrent_requests)");
    assertThat(s.warnings()).isEmpty();
  }

  @Test
  void targetConcurrentRequestsWinsOverMaxConcurrentRequestsWithAWarning() throws BuildFailure {
    AppScaling s = scaling(
        "automatic_scaling: {target_concurrent_requests: 4, max_concurrent_requests: 80}\n");

    assertThat(s.autoscale().target()).isEqualTo(4);
    assertThat(s.warnings()).containsExactly("app.yaml automatic_scaling.max_concurrent_requests"
        + " is not a hard limit on Pier: web aims at target_concurrent_requests (4)");
  }

  @Test
  void targetCpuUtilizationFractionBecomesACpuPercent() throws BuildFailure {
    AppScaling s = scaling("automatic_scaling: {max_instances: 4, target_cpu_utilization: 0.65}\n");

    assertThat(s.autoscale()).isEqualTo(new Autoscale(0, 4, "cpu", 65));
    assertThat(s.autoscale().toJson().toString())
        .isEqualTo("{\"min\":0,\"max\":4,\"target_cpu\":65}");
    assertThat(s.describe()).isEqualTo("web autoscales between 0 and 4 instances at 65% CPU");
  }

  @Test
  void flexibleSpellingsAreReadToo() throws BuildFailure {
    AppScaling s = scaling("""
        automatic_scaling:
          min_num_instances: 2
          max_num_instances: 6
          cool_down_period_sec: 120
          cpu_utilization:
            target_utilization: 0.5
            aggregation_window_length_sec: 30
        """);

    assertThat(s.autoscale()).isEqualTo(new Autoscale(2, 6, "cpu", 50));
  }

  @Test
  void concurrencyAndCpuTogetherScaleOnConcurrencyWithAWarning() throws BuildFailure {
    AppScaling s = scaling(
        "automatic_scaling: {target_concurrent_requests: 20, target_cpu_utilization: 0.6}\n");

    assertThat(s.autoscale()).isEqualTo(new Autoscale(0, 100, "concurrency", 20));
    assertThat(s.warnings()).containsExactly("app.yaml automatic_scaling sets a concurrency and a"
        + " CPU target: Pier's autoscaler follows one, so web scales on concurrency and"
        + " target_cpu_utilization is ignored");
  }

  @Test
  void keysPierDoesNotHonourAreListedAsIgnoredWithTheirBlock() throws BuildFailure {
    AppYaml yaml = AppYaml.parse("""
        runtime: nodejs
        automatic_scaling:
          max_instances: 2
          max_idle_instances: 1
          cpu_utilization:
            aggregation_window_length_sec: 30
        basic_scaling:
          max_instances: 3
        resources:
          disk_size_gb: 10
          memory_gb: 0.5
        """);

    assertThat(yaml.ignoredKeys()).containsExactly(
        "automatic_scaling.max_idle_instances",
        "automatic_scaling.cpu_utilization.aggregation_window_length_sec",
        "basic_scaling.max_instances",
        "resources.disk_size_gb");
  }

  @Test
  void manualScalingIsAFixedWebCountWithoutAutoscaling() throws BuildFailure {
    AppScaling s = scaling("manual_scaling:\n  instances: 2\n");

    assertThat(s.webInstances()).isEqualTo(2);
    assertThat(s.autoscale()).isNull();
    assertThat(s.describe()).isEqualTo("web runs 2 instance(s), no autoscaling");
  }

  @Test
  void resourcesMapOntoTheSmallestSizeThatCoversBoth() throws BuildFailure {
    assertThat(scaling("resources: {memory_gb: 1}\n").size()).isEqualTo("standard-2x");
    assertThat(scaling("resources: {memory_gb: 0.25}\n").size()).isEqualTo("basic");
    assertThat(scaling("resources: {cpu: 0.5}\n").size()).isEqualTo("standard-1x");
    assertThat(scaling("resources: {cpu: 1, memory_gb: 0.3}\n").size()).isEqualTo("standard-2x");
    assertThat(scaling("resources: {cpu: 0.25, memory_gb: 1.5}\n").size()).isEqualTo("performance-m");

    AppScaling s = scaling("resources: {cpu: 1, memory_gb: 0.5}\n");
    assertThat(s.resources()).isEqualTo("cpu 1, memory_gb 0.5");
    assertThat(s.describe()).isEqualTo("size standard-2x (cpu 1, memory_gb 0.5)");
    assertThat(s.warnings()).isEmpty();
  }

  @Test
  void resourcesBeyondEverySizeGetTheLargestWithAWarning() throws BuildFailure {
    AppScaling s = scaling("resources: {cpu: 4, memory_gb: 8}\n");

    assertThat(s.size()).isEqualTo("performance-m");
    assertThat(s.warnings()).containsExactly("app.yaml resources (cpu 4, memory_gb 8) are more"
        + " than any size offers: the largest, performance-m (2048 MB, 2 CPUs), is used");
  }

  @Test
  void resourcesWithoutCpuOrMemorySetNoSize() throws BuildFailure {
    assertThat(scaling("resources: {disk_size_gb: 10}\n").isEmpty()).isTrue();
  }

  @Test
  void scalingAndResourcesCombine() throws BuildFailure {
    AppScaling s = scaling("""
        manual_scaling: {instances: 3}
        resources: {memory_gb: 2}
        """);

    assertThat(s.webInstances()).isEqualTo(3);
    assertThat(s.size()).isEqualTo("performance-m");
    assertThat(s.describe())
        .isEqualTo("web runs 3 instance(s), no autoscaling; size performance-m (memory_gb 2)");
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("negative min",
            "automatic_scaling:\n  min_instances: -1\n",
            "app.yaml line 3: automatic_scaling.min_instances must be a whole number from 0 to 100, got '-1'"),
        Arguments.of("min above max",
            "automatic_scaling:\n  min_instances: 5\n  max_instances: 2\n",
            "app.yaml line 2: automatic_scaling min_instances (5) is above max_instances (2)"),
        Arguments.of("min above the cap",
            "automatic_scaling: {min_instances: 101}\n",
            "app.yaml line 2: automatic_scaling.min_instances must be a whole number from 0 to 100, got '101'"),
        Arguments.of("not a number",
            "automatic_scaling:\n  max_instances: lots\n",
            "app.yaml line 3: automatic_scaling.max_instances must be a number, got 'lots'"),
        Arguments.of("quoted number",
            "automatic_scaling:\n  max_instances: \"3\"\n",
            "app.yaml line 3: automatic_scaling.max_instances must be a number, got '3'"),
        Arguments.of("fractional count",
            "manual_scaling:\n  instances: 1.5\n",
            "app.yaml line 3: manual_scaling.instances must be a whole number from 0 to 100, got '1.5'"),
        Arguments.of("negative max",
            "automatic_scaling:\n  max_instances: -3\n",
            "app.yaml line 3: automatic_scaling.max_instances must be a whole number 0 or more, got '-3'"),
        Arguments.of("zero concurrency",
            "automatic_scaling:\n  target_concurrent_requests: 0\n",
            "app.yaml line 3: automatic_scaling.target_concurrent_requests must be from 0.1 to 1000, got '0'"),
        Arguments.of("cpu as a percent",
            "automatic_scaling:\n  target_cpu_utilization: 60\n",
            "app.yaml line 3: automatic_scaling.target_cpu_utilization must be a fraction from 0.01 to 1 (0.6 for 60% CPU), got '60'"),
        Arguments.of("both spellings",
            "automatic_scaling:\n  min_instances: 1\n  min_num_instances: 2\n",
            "app.yaml line 4: give min_instances or min_num_instances, not both"),
        Arguments.of("manual without instances",
            "manual_scaling:\n  foo: 1\n",
            "app.yaml line 2: manual_scaling needs 'instances: N', the number of web instances"),
        Arguments.of("manual above the cap",
            "manual_scaling: {instances: 1000}\n",
            "app.yaml line 2: manual_scaling.instances must be a whole number from 0 to 100, got '1000'"),
        Arguments.of("both scaling blocks",
            "manual_scaling: {instances: 1}\nautomatic_scaling: {max_instances: 2}\n",
            "app.yaml line 3: use automatic_scaling or manual_scaling, not both"),
        Arguments.of("negative memory",
            "resources:\n  memory_gb: -1\n",
            "app.yaml line 3: resources.memory_gb must be above 0, got '-1'"),
        Arguments.of("cpu as a list",
            "resources:\n  cpu: [1]\n",
            "app.yaml line 3: resources.cpu must be a number, got a list"),
        Arguments.of("block not a mapping",
            "automatic_scaling: 3\n",
            "app.yaml line 2: automatic_scaling must be a mapping of 'key: value' lines"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void badValuesFailTheBuildNamingLineAndKey(String name, String body, String message) {
    assertThatThrownBy(() -> scaling(body)).isInstanceOf(BuildFailure.class).hasMessage(message);
  }
}
