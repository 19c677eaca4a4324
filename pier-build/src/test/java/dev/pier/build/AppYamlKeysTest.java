package dev.pier.build;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AppYamlKeysTest {
  @Test
  void everyKeyPierDoesNotHonourIsNamedByItsFullPathAtAnyDepth() throws BuildFailure {
    AppYaml yaml = AppYaml.parse("""
        runtime: nodejs20
        entrypoint: node server.js
        env_variables:
          GREETING: hi
          PORT: "9000"
        readiness_check:
          path: /ready
          failure_threshold: 3
          check_interval_sec: 5
          app_start_timeout_sec: 300
        liveness_check:
          path: /live
        network:
          forwarded_ports:
            - 8081
          instance_tag: web
        handlers:
          - url: /static
            static_dir: public
        automatic_scaling:
          max_instances: 2
          cool_down_period_sec: 60
        beta_settings: {}
        inbound_services:
        """);

    assertThat(yaml.ignoredKeys()).containsExactly(
        "env_variables.PORT (Pier sets PORT)",
        "readiness_check.failure_threshold",
        "network.forwarded_ports",
        "network.instance_tag",
        "automatic_scaling.cool_down_period_sec",
        "beta_settings",
        "inbound_services");
  }

  @Test
  void emptyOrNullBlocksPierReadsAreNotNamed() throws BuildFailure {
    AppYaml yaml = AppYaml.parse("""
        runtime: nodejs
        env_variables: {}
        readiness_check:
        automatic_scaling:
        """);

    assertThat(yaml.ignoredKeys()).isEmpty();
  }

  @Test
  void theHonouredListIsExactAboutNestedKeys() {
    assertThat(AppYamlKeys.honoured("readiness_check.path")).isTrue();
    assertThat(AppYamlKeys.honoured("env_variables.ANY_NAME")).isTrue();
    assertThat(AppYamlKeys.honoured("automatic_scaling.cpu_utilization.target_utilization")).isTrue();
    assertThat(AppYamlKeys.honoured("readiness_check")).isFalse();
    assertThat(AppYamlKeys.honoured("readiness_check.path.deeper")).isFalse();
    assertThat(AppYamlKeys.honoured("automatic_scaling.max_idle_instances")).isFalse();
  }
}
