package dev.pier.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.errors.PlatformException;
import dev.pier.errors.Problem;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AutoscaleSpecTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theWireBodyGivesEveryField() {
    AutoscaleSpec spec = AutoscaleSpec.fromJson(json("{'min':0,'max':10,'target_concurrency':10,"
        + "'stable_window_seconds':60,'scale_down_delay_seconds':30,'idle_seconds':300}"));

    assertThat(spec).isEqualTo(new AutoscaleSpec(0, 10, Metric.CONCURRENCY, 10, Duration.ofSeconds(60),
        Duration.ofSeconds(30), Duration.ofMinutes(5)));
    assertThat(spec.panicWindow()).isEqualTo(Duration.ofSeconds(6));
    assertThat(spec.describeTarget()).isEqualTo("10 concurrent requests");
  }

  @Test
  void onlyMaxIsRequiredAndTheRestTakesKnativesDefaults() {
    AutoscaleSpec spec = AutoscaleSpec.fromJson(json("{'max':4}"));

    assertThat(spec).isEqualTo(AutoscaleSpec.of(0, 4, Metric.CONCURRENCY, 100));
    assertThat(spec.stableWindow()).isEqualTo(Duration.ofSeconds(60));
    assertThat(spec.scaleDownDelay()).isZero();
    assertThat(spec.idleGrace()).isEqualTo(Duration.ofMinutes(5));
    assertThat(spec.panicThreshold()).isEqualTo(2.0);
  }

  @Test
  void rpsAndCpuTargetsAreReadFromTheirOwnFields() {
    assertThat(AutoscaleSpec.fromJson(json("{'max':3,'target_rps':0.5}")).describeTarget())
        .isEqualTo("0.5 requests/s");
    assertThat(AutoscaleSpec.fromJson(json("{'max':3,'target_cpu':70}")).describeTarget()).isEqualTo("70% CPU");
  }

  @Test
  void toJsonGivesTheBodyFromJsonReads() {
    AutoscaleSpec spec = new AutoscaleSpec(1, 5, Metric.RPS, 12.5, Duration.ofSeconds(120), Duration.ofSeconds(15),
        Duration.ofSeconds(90));

    assertThat(spec.toJson().toString()).isEqualTo("{\"min\":1,\"max\":5,\"target_rps\":12.5,"
        + "\"stable_window_seconds\":120,\"scale_down_delay_seconds\":15,\"idle_seconds\":90}");
    assertThat(AutoscaleSpec.fromJson(spec.toJson())).isEqualTo(spec);
  }

  @Test
  void thePanicWindowIsATenthOfTheStableWindowAndAtLeastOneSecond() {
    AutoscaleSpec wide = new AutoscaleSpec(0, 1, Metric.CPU, 50, Duration.ofSeconds(100), Duration.ZERO,
        Duration.ofSeconds(1));
    AutoscaleSpec narrow = new AutoscaleSpec(0, 1, Metric.CPU, 50, Duration.ofSeconds(6), Duration.ZERO,
        Duration.ofSeconds(1));

    assertThat(wide.panicWindow()).isEqualTo(Duration.ofSeconds(10));
    assertThat(narrow.panicWindow()).isEqualTo(Duration.ofSeconds(1));
  }

  static Stream<Arguments> badSpecs() {
    return Stream.of(
        Arguments.of("negative min", "{'min':-1,'max':2}", "min must be 0 or more, got -1"),
        Arguments.of("min above max", "{'min':5,'max':2}", "min (5) is above max (2)"),
        Arguments.of("max zero", "{'max':0}", "max must be between 1 and 100, got 0"),
        Arguments.of("max too high", "{'max':101}", "max must be between 1 and 100, got 101"),
        Arguments.of("negative concurrency", "{'max':2,'target_concurrency':-3}",
            "target concurrency must be between 0.1 and 1000, got -3"),
        Arguments.of("concurrency too high", "{'max':2,'target_concurrency':1000.5}",
            "target concurrency must be between 0.1 and 1000, got 1000.5"),
        Arguments.of("rps too small", "{'max':2,'target_rps':0.05}",
            "target rps must be between 0.1 and 100000, got 0.05"),
        Arguments.of("cpu above 100", "{'max':2,'target_cpu':150}", "target cpu must be between 1 and 100, got 150"),
        Arguments.of("short stable window", "{'max':2,'stable_window_seconds':5}",
            "stable window must be between 6 s and 3600 s, got 5 s"),
        Arguments.of("long delay", "{'max':2,'scale_down_delay_seconds':3601}",
            "scale-down delay must be between 0 s and 3600 s, got 3601 s"),
        Arguments.of("no idle grace", "{'max':2,'idle_seconds':0}", "idle grace must be between 1 s and 86400 s, got 0 s"),
        Arguments.of("two targets", "{'max':2,'target_concurrency':10,'target_rps':5}",
            "give only one target, got target_concurrency and target_rps"),
        Arguments.of("unknown key", "{'max':2,'target':10}",
            "unknown autoscale field 'target': use min, max, target_concurrency, target_rps, target_cpu, "
                + "stable_window_seconds, scale_down_delay_seconds or idle_seconds"),
        Arguments.of("missing max", "{'min':1}", "max is required"),
        Arguments.of("fractional min", "{'min':1.5,'max':2}", "min must be a whole number, got 1.5"),
        Arguments.of("text max", "{'max':'ten'}", "max must be a whole number, got \"ten\""),
        Arguments.of("null target", "{'max':2,'target_rps':null}", "target_rps must be a number, got null"),
        Arguments.of("fractional window", "{'max':2,'idle_seconds':2.5}", "idle_seconds must be a whole number, got 2.5"),
        Arguments.of("huge max", "{'max':99999999999}", "max is out of range, got 99999999999"),
        Arguments.of("not an object", "[1]", "the autoscale settings must be a JSON object, got array"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSpecs")
  void badSettingsAreRefusedWithAMessageNamingTheValue(String name, String body, String message) {
    assertThatThrownBy(() -> AutoscaleSpec.fromJson(json(body)))
        .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.problem()).isEqualTo(Problem.INVALID))
        .hasMessage(message);
  }

  @Test
  void aSpecWithoutAMetricIsRefused() {
    assertThatThrownBy(() -> AutoscaleSpec.of(0, 1, null, 10))
        .isInstanceOf(PlatformException.class).hasMessage("metric is required: concurrency, rps or cpu");
  }
}
