package dev.pier.build.nodejs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NodeVersionRangeTest {

  @ParameterizedTest(name = "{0} allows {1}: {2}")
  @CsvSource(
      delimiter = ',',
      textBlock = """
          >=18, v20.20.2, true
          >=22, v20.20.2, false
          >= 18.17, v18.17.0, true
          >20, v20.20.2, false
          >20.1, v20.2.0, true
          <20, v20.0.0, false
          <=20, v20.99.1, true
          ^20.11, v20.20.2, true
          ^18, v20.20.2, false
          ^0.2.3, v0.3.0, false
          ^0.0.3, v0.0.3, true
          ~20.20, v20.20.9, true
          ~20.19, v20.20.2, false
          ~20, v20.20.2, true
          20.x, v20.20.2, true
          20.20.x, v20.21.0, false
          *, v20.20.2, true
          '', v20.20.2, true
          20.20.2, v20.20.2, true
          20.20.1, v20.20.2, false
          =20, v20.1.0, true
          v20, v20.1.0, true
          18 || 20, v20.20.2, true
          16.x || 18.x, v20.20.2, false
          >=18 <21, v20.20.2, true
          >=18 <20, v20.20.2, false
          >=14.0.0 <=20.0.0, v20.20.2, false
          18 - 20, v20.20.2, true
          18 - 20.10.0, v20.20.2, false
          >=20.0.0-beta, v20.0.0, true
          """)
  void rangesAreCheckedLikeNpm(String range, String version, boolean allowed) {
    assertThat(NodeVersionRange.parse(range)).get()
        .satisfies(r -> assertThat(r.allows(version)).isEqualTo(allowed));
  }

  @ParameterizedTest
  @ValueSource(strings = {"lts/*", "node>=18", "latest", ">=", "18 - 20 - 22", "^20.1.2.3"})
  void unsupportedSyntaxIsReportedAsUnparseable(String range) {
    assertThat(NodeVersionRange.parse(range)).isEmpty();
  }
}
