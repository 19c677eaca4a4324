package dev.pier.build.custom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.build.BuildFailure;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseYamlTest {
  @Test
  void herokusReleaseFormatGivesProcessTypesAndConfigVarsInOrder() throws BuildFailure {
    ReleaseYaml release = ReleaseYaml.parse("""
        ---
        addons: []
        config_vars:
          LANG: en_US.UTF-8
          WORKERS: 4
        default_process_types:
          web: ./start.sh --port $PORT
          worker: ./work.sh
        """, "bin/release");

    assertThat(release.defaultProcessTypes()).containsExactly(
        Map.entry("web", "./start.sh --port $PORT"), Map.entry("worker", "./work.sh"));
    assertThat(release.configVars()).containsExactly(Map.entry("LANG", "en_US.UTF-8"), Map.entry("WORKERS", "4"));
  }

  @Test
  void emptyOutputDeclaresNothing() throws BuildFailure {
    assertThat(ReleaseYaml.parse("", "bin/release")).isEqualTo(new ReleaseYaml(Map.of(), Map.of()));
    assertThat(ReleaseYaml.parse("--- {}\n", "bin/release").defaultProcessTypes()).isEmpty();
  }

  @Test
  void malformedOutputNamesTheScriptAndLine() {
    assertThatThrownBy(() -> ReleaseYaml.parse("default_process_types:\n  web: [a\n", "bin/release of X"))
        .isInstanceOf(BuildFailure.class).hasMessageStartingWith("bin/release of X line ");
    assertThatThrownBy(() -> ReleaseYaml.parse("- web\n", "bin/release"))
        .hasMessageContaining("expected a YAML mapping");
    assertThatThrownBy(() -> ReleaseYaml.parse("default_process_types: ./start.sh\n", "bin/release"))
        .hasMessageContaining("default_process_types must be a mapping");
    assertThatThrownBy(() -> ReleaseYaml.parse("config_vars:\n  'BAD NAME': x\n", "bin/release"))
        .hasMessageContaining("invalid name 'BAD NAME'");
  }

  @Test
  void yamlTagsCannotInstantiateJavaObjects() {
    assertThatThrownBy(() -> ReleaseYaml.parse("config_vars: !!java.io.File [\"/etc\"]\n", "bin/release"))
        .isInstanceOf(BuildFailure.class);
  }
}
