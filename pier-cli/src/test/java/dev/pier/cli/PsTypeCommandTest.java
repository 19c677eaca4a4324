package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PsTypeCommandTest extends FakeApiTest {
  @Test
  void psTypeWithoutArgumentsShowsEachTypesSize() {
    app.sizes.put("web", "standard-1x");
    app.sizes.put("worker", "performance-m");

    var result = cli.run("ps:type", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(api.requests("GET ")).containsExactly("GET /apps/hello/formation/sizes");
    assertThat(result.out()).isEqualTo("""
        === hello process sizes
        TYPE    SIZE           MEMORY  CPUS
        web     standard-1x    512 MB   0.5
        worker  performance-m    2 GB     2
        """);
  }

  @Test
  void psTypeWithJsonPrintsTheApiJson() {
    var result = cli.run("ps:type", "-a", "hello", "--json");

    assertThat(result.out()).startsWith("{").contains("\"size\" : \"default\"", "\"memory_mb\" : 512", "\"cpus\" : null");
  }

  @Test
  void psTypeSetsTheSizesGiven() {
    var result = cli.run("ps:type", "web=standard-2x", "worker=basic", "-a", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(api.requests("PATCH ")).containsExactly("PATCH /apps/hello/formation");
    assertThat(api.lastBody.toString()).isEqualTo("{\"web\":{\"size\":\"standard-2x\"},\"worker\":{\"size\":\"basic\"}}");
    assertThat(result.out()).isEqualTo("Changing process sizes on hello... done: web standard-2x, worker basic\n");
    assertThat(cli.run("ps:type", "-a", "hello").out()).isEqualTo("""
        === hello process sizes
        TYPE    SIZE         MEMORY  CPUS
        web     standard-2x    1 GB     1
        worker  basic        256 MB  0.25
        """);
  }

  @ParameterizedTest
  @ValueSource(strings = {"web", "web:basic", "web=", "web=Standard-2X", "=basic", "web=standard_2x"})
  void psTypeWithABadArgumentFailsWithoutCallingTheServer(String argument) {
    var result = cli.run("ps:type", argument, "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(" !     Invalid size argument '" + argument
        + "': use TYPE=SIZE, such as web=standard-2x (sizes: basic, standard-1x, standard-2x or performance-m)\n");
    assertThat(api.requests).isEmpty();
  }

  @Test
  void psTypeWithATypeGivenTwiceFailsWithoutCallingTheServer() {
    var result = cli.run("ps:type", "web=basic", "web=standard-2x", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(" !     Process type web is given twice\n");
    assertThat(api.requests).isEmpty();
  }

  @Test
  void psTypeWithAnUnknownSizeShowsTheServersProblem() {
    var result = cli.run("ps:type", "web=huge", "-a", "hello");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEqualTo("Changing process sizes on hello... !\n");
    assertThat(result.err()).isEqualTo(" !     unknown size 'huge': use basic, standard-1x, standard-2x or performance-m\n");
  }
}
