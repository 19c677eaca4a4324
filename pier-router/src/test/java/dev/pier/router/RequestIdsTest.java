package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdsTest {
  @ParameterizedTest(name = "{0} is kept")
  @ValueSource(strings = {"abcdefghij0123456789", "8601b555-6a83-4c12-8269-97c8e32cdb22",
      "AbC+/=-0123456789xyzw"})
  void validIncomingIdIsKept(String id) {
    assertThat(RequestIds.keepOrGenerate(id)).isEqualTo(id);
  }

  @ParameterizedTest(name = "\"{0}\" is replaced")
  @NullSource
  @ValueSource(strings = {"", "too-short-0123", "has space 0123456789abc", "semi;colon0123456789",
      "unicodé0123456789abcdef"})
  void invalidIncomingIdIsReplacedByAUuid(String id) {
    assertThat(RequestIds.keepOrGenerate(id))
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  }

  @ParameterizedTest(name = "length {0}")
  @ValueSource(ints = {19, 201})
  void idsOutsideTwentyToTwoHundredCharactersAreReplaced(int length) {
    String id = "a".repeat(length);
    assertThat(RequestIds.keepOrGenerate(id)).isNotEqualTo(id).hasSize(36);
  }

  @org.junit.jupiter.api.Test
  void generatedIdsAreVersionFourUuidsAndUnique() {
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      java.util.UUID id = RequestIds.random();
      assertThat(id.version()).isEqualTo(4);
      assertThat(id.variant()).isEqualTo(2);
      ids.add(id.toString());
    }
    assertThat(ids).hasSize(10_000);
  }
}
