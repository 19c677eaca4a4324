package dev.pier.build.nodejs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.build.BuildFailure;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeChoiceTest {
  private static final List<NodeRelease> OFFERED = Stream.of(
          "16.20.2", "18.19.0", "18.20.8", "20.11.1", "20.20.2", "21.7.3", "22.12.0", "22.23.5",
          "23.11.1", "24.22.3", "25.9.0")
      .map(NodeRelease::cached).toList();

  private static String chosen(String engines, String runtime, String latest) throws BuildFailure {
    return NodeChoice.choose(engines, runtime, OFFERED, latest).orElseThrow().release().version();
  }

  @ParameterizedTest(name = "engines.node \"{0}\" picks {1}")
  @CsvSource(delimiter = ';', textBlock = """
      22.x; 22.23.5
      >=18 <21; 20.20.2
      20.11.1; 20.11.1
      ^18.19; 18.20.8
      ~20.11; 20.11.1
      16 || 18; 18.20.8
      18 - 20.11; 20.11.1
      >=22; 25.9.0
      *; 25.9.0
      """)
  void enginesNodePicksTheNewestReleaseItAllows(String engines, String expected) throws BuildFailure {
    assertThat(chosen(engines, null, "25.9.0")).isEqualTo(expected);
  }

  @Test
  void withoutEnginesTheNewestEvenMajorUpToLatestIsTheLts() throws BuildFailure {
    NodeChoice choice = NodeChoice.choose(null, null, OFFERED, "25.9.0").orElseThrow();

    assertThat(choice.release().version()).isEqualTo("24.22.3");
    assertThat(choice.reason()).isEqualTo("the current LTS: package.json has no engines.node");
  }

  @Test
  void withoutALatestTagTheNewestEvenMajorIsTheLts() throws BuildFailure {
    assertThat(chosen(null, null, null)).isEqualTo("24.22.3");
    assertThat(chosen(null, null, "23.11.1")).isEqualTo("22.23.5");
  }

  @Test
  void appYamlRuntimeNarrowsTheChoiceWhenEnginesIsAbsent() throws BuildFailure {
    NodeChoice choice = NodeChoice.choose(null, "nodejs20", OFFERED, "25.9.0").orElseThrow();

    assertThat(choice.release().version()).isEqualTo("20.20.2");
    assertThat(choice.reason()).isEqualTo("app.yaml runtime nodejs20");
    assertThat(choice.warning()).isNull();
  }

  @Test
  void appYamlRuntimeNarrowsARangeThatAllowsIt() throws BuildFailure {
    NodeChoice choice = NodeChoice.choose(">=18", "nodejs20", OFFERED, "25.9.0").orElseThrow();

    assertThat(choice.release().version()).isEqualTo("20.20.2");
    assertThat(choice.warning()).isNull();
  }

  @Test
  void enginesWinsOverADisagreeingAppYamlRuntimeAndSaysSo() throws BuildFailure {
    NodeChoice choice = NodeChoice.choose("22.x", "nodejs20", OFFERED, "25.9.0").orElseThrow();

    assertThat(choice.release().version()).isEqualTo("22.23.5");
    assertThat(choice.reason()).isEqualTo("engines.node \"22.x\"");
    assertThat(choice.warning()).isEqualTo("app.yaml runtime nodejs20 asks for Node.js 20, but"
        + " package.json engines.node \"22.x\" does not allow it: engines.node wins");
  }

  @Test
  void aRangeNothingSatisfiesChoosesNothingAndTheMessageNamesTheNearestMajors() throws BuildFailure {
    assertThat(NodeChoice.choose("17.x", null, OFFERED, "25.9.0")).isEmpty();

    assertThat(NodeChoice.unsatisfiable("17.x", null, OFFERED)).isEqualTo(
        "No Node.js release matches engines.node \"17.x\" (the nearest available: 16.20.2, 18.20.8,"
            + " 20.20.2, 21.7.3): change it in package.json to one of these, e.g. \"18.x\"");
  }

  @Test
  void enginesThatIsNoRangeFailsTheBuildWithExamples() {
    assertThatThrownBy(() -> NodeChoice.choose("lts/*", null, OFFERED, null))
        .isInstanceOf(BuildFailure.class)
        .hasMessageContaining("engines.node \"lts/*\" is not a version range Pier understands")
        .hasMessageContaining("\"22.x\"");
  }

  @Test
  void runtimeMajorIsReadFromNodejsNN() {
    assertThat(NodeChoice.runtimeMajor("nodejs22")).isEqualTo(22);
    assertThat(NodeChoice.runtimeMajor("nodejs")).isNull();
    assertThat(NodeChoice.runtimeMajor("python312")).isNull();
  }
}
