package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HealthcheckCommandsTest extends FakeApiTest {
  @Test
  void aBootTimeoutIsSetShownAndResetToTheDefault() {
    var set = cli.run("healthcheck:timeout", "120", "-a", "hello");

    assertThat(set.exitCode()).as(set.err()).isZero();
    assertThat(set.out()).contains("Boot timeout set to 120 s");
    assertThat(api.apps.get("hello").settings.path("boot_timeout_seconds").asInt()).isEqualTo(120);
    assertThat(cli.run("healthcheck", "-a", "hello").out()).contains("Boot timeout: 120 s");

    var reset = cli.run("healthcheck:timeout", "default", "-a", "hello");

    assertThat(reset.exitCode()).isZero();
    assertThat(api.apps.get("hello").settings.get("boot_timeout_seconds").isNull()).isTrue();
    assertThat(cli.run("healthcheck", "-a", "hello").out()).contains("Boot timeout: the platform's default");
  }

  @Test
  void aBootTimeoutThatIsNotAWholeNumberOfSecondsInRangeIsRefusedWithoutCallingTheServer() {
    for (String bad : new String[] {"0", "901", "-5", "1.5", "two"}) {
      var result = cli.run("healthcheck:timeout", bad, "-a", "hello");

      assertThat(result.exitCode()).as(bad).isNotZero();
      assertThat(result.err()).as(bad).contains("boot timeout").contains("1 to 900");
    }
    assertThat(api.requests).noneMatch(r -> r.startsWith("PATCH "));
  }
}
