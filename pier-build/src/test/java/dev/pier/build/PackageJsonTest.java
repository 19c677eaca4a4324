package dev.pier.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PackageJsonTest {

  @Test
  void scriptsDependenciesAndEnginesAreRead() throws BuildFailure {
    PackageJson pkg = PackageJson.parse("""
        {"name": "x", "scripts": {"start": "node server.js", "build": "tsc"},
         "dependencies": {"a": "1", "b": "2"}, "devDependencies": {"c": "3"},
         "engines": {"node": ">=18"}}
        """);

    assertThat(pkg.hasScript("start")).isTrue();
    assertThat(pkg.hasScript("build")).isTrue();
    assertThat(pkg.dependencyCount()).isEqualTo(2);
    assertThat(pkg.devDependencyCount()).isEqualTo(1);
    assertThat(pkg.hasNoDependencies()).isFalse();
    assertThat(pkg.enginesNode()).isEqualTo(">=18");
  }

  @Test
  void minimalPackageHasNothingToInstall() throws BuildFailure {
    PackageJson pkg = PackageJson.parse("{\"name\": \"x\"}");

    assertThat(pkg.hasNoDependencies()).isTrue();
    assertThat(pkg.enginesNode()).isNull();
    assertThat(pkg.scripts()).isEmpty();
  }

  @Test
  void malformedJsonNamesLineAndColumn() {
    assertThatThrownBy(() -> PackageJson.parse("{\n  \"name\": \"x\",\n  \"scripts\": {,}\n}"))
        .isInstanceOf(BuildFailure.class)
        .hasMessageStartingWith("package.json line 3, column 15: Unexpected character (',' ");
  }

  @Test
  void truncatedJsonIsRejected() {
    assertThatThrownBy(() -> PackageJson.parse("{\"name\": \"x\""))
        .hasMessageStartingWith("package.json line 1, column ");
  }

  @Test
  void nonObjectIsRejected() {
    assertThatThrownBy(() -> PackageJson.parse("[1, 2]"))
        .hasMessage("package.json must contain a JSON object ({ ... })");
  }
}
