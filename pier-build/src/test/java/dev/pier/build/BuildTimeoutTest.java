package dev.pier.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildTimeoutTest {
  @Test
  void durationsWithUnitsOrPlainSeconds() {
    assertThat(BuildTimeout.parse("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(BuildTimeout.parse("30m")).isEqualTo(Duration.ofMinutes(30));
    assertThat(BuildTimeout.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(BuildTimeout.parse("120")).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void anUnsetVarMeansTheOperatorsTimeoutAndABadOneFailsTheBuildNamingIt() throws BuildFailure {
    assertThat(BuildTimeout.of(Map.of())).isNull();
    assertThatThrownBy(() -> BuildTimeout.of(Map.of("PIER_BUILD_TIMEOUT", "soon")))
        .hasMessage("config var PIER_BUILD_TIMEOUT: 'soon' is not a duration: use e.g. 90s, 30m or 1h");
    assertThatThrownBy(() -> BuildTimeout.parse("3h")).hasMessageContaining("between 1s and 2h");
    assertThatThrownBy(() -> BuildTimeout.parse("0s")).hasMessageContaining("between 1s and 2h");
  }
}
