package dev.pier.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AppYamlTest {

  @Test
  void nodejsRuntimeEntrypointAndEnvVariablesAreRead() throws BuildFailure {
    AppYaml yaml = AppYaml.parse("""
        runtime: nodejs20
        entrypoint: node app.js
        env_variables:
          GREETING: "hello"
          WORKERS: 4
        """);

    assertThat(yaml.isNodejs()).isTrue();
    assertThat(yaml.entrypoint()).isEqualTo("node app.js");
    assertThat(yaml.envVariables()).containsExactly(
        Map.entry("GREETING", "hello"), Map.entry("WORKERS", "4"));
    assertThat(yaml.flexible()).isFalse();
    assertThat(yaml.ignoredKeys()).isEmpty();
  }

  @Test
  void envLineIsAcceptedAndUnknownKeysAreListedAsIgnored() throws BuildFailure {
    AppYaml yaml = AppYaml.parse("""
        runtime: nodejs
        env: flex
        handlers:
          - url: /.*
            script: auto
        basic_scaling:
          max_instances: 2
        """);

    assertThat(yaml.isNodejs()).isTrue();
    assertThat(yaml.flexible()).isTrue();
    assertThat(yaml.entrypoint()).isNull();
    assertThat(yaml.ignoredKeys()).containsExactly("basic_scaling.max_instances");
  }

  @Test
  void otherRuntimesParseButAreNotNodejs() throws BuildFailure {
    AppYaml yaml = AppYaml.parse("runtime: python312\n");

    assertThat(yaml.runtime()).isEqualTo("python312");
    assertThat(yaml.isNodejs()).isFalse();
  }

  @Test
  void malformedYamlNamesTheLine() {
    assertThatThrownBy(() -> AppYaml.parse("runtime: nodejs\nentrypoint: node a.js\n  bad: : x\n"))
        .isInstanceOf(BuildFailure.class)
        .hasMessageStartingWith("app.yaml line 3: ");
  }

  @Test
  void nonStringEnvVariableNamesTheLine() {
    assertThatThrownBy(() -> AppYaml.parse("runtime: nodejs\nenv_variables:\n  A:\n    - x\n"))
        .isInstanceOf(BuildFailure.class)
        .hasMessage("app.yaml line 4: env_variables.A must be a string");
  }

  @Test
  void duplicateKeysAreRejected() {
    assertThatThrownBy(() -> AppYaml.parse("runtime: nodejs\nruntime: nodejs20\n"))
        .hasMessage("app.yaml line 2: duplicate key 'runtime'");
  }

  @Test
  void missingRuntimeAndEmptyFileAreRejected() {
    assertThatThrownBy(() -> AppYaml.parse("entrypoint: node a.js\n"))
        .hasMessageContaining("missing 'runtime'");
    assertThatThrownBy(() -> AppYaml.parse("# nothing\n")).hasMessageContaining("app.yaml is empty");
    assertThatThrownBy(() -> AppYaml.parse("- runtime\n"))
        .hasMessage("app.yaml line 1: the file must be a mapping of 'key: value' lines");
  }

  @Test
  void appStartTimeoutIsWebsBootTimeoutAndMustBeOneTo900Seconds() throws BuildFailure {
    AppYaml yaml = AppYaml.parse("""
        runtime: nodejs
        readiness_check:
          app_start_timeout_sec: 300
        """);
    assertThat(yaml.scaling().bootTimeoutSeconds()).isEqualTo(300);
    assertThat(yaml.scaling().describe()).isEqualTo("web boot timeout 300 s");
    assertThat(yaml.ignoredKeys()).isEmpty();
    assertThat(AppYaml.parse("runtime: nodejs\n").scaling().bootTimeoutSeconds()).isNull();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AppYaml.parse(
            "runtime: nodejs\nreadiness_check:\n  app_start_timeout_sec: 3600\n"))
        .hasMessageContaining("app.yaml line 3")
        .hasMessageContaining("readiness_check.app_start_timeout_sec");
  }

  @Test
  void readinessCheckPathIsReadAndMustBeAPath() throws BuildFailure {
    AppYaml yaml = AppYaml.parse("""
        runtime: nodejs
        readiness_check:
          path: "/ready"
          check_interval_sec: 5
        """);
    assertThat(yaml.readinessPath()).isEqualTo("/ready");
    assertThat(yaml.ignoredKeys()).isEmpty();
    assertThat(yaml.serving().readinessIntervalSeconds()).isEqualTo(5);
    assertThat(AppYaml.parse("runtime: nodejs\n").readinessPath()).isNull();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> AppYaml.parse("runtime: nodejs\nreadiness_check:\n  path: ready\n"))
        .hasMessageContaining("app.yaml line 3").hasMessageContaining("readiness_check.path");
  }
}
