package dev.pier.domains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.errors.PlatformException;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostNamesTest {
  private final HostNames names = new HostNames("pier.test");

  @Test
  void aWildcardDirectlyUnderAPublicSuffixIsRefused() {
    for (String wildcard : List.of("*.com", "*.co.uk", "*.github.io", "*.COM.")) {
      assertThatThrownBy(() -> names.validate(wildcard)).as(wildcard)
          .isInstanceOf(PlatformException.class)
          .hasMessageContaining("is a public suffix")
          .hasMessageContaining("a wildcard must be under a domain of your own");
    }
    assertThatThrownBy(() -> names.validate("co.uk")).hasMessageContaining("co.uk is a public suffix");
  }

  @Test
  void wildcardsUnderARegisteredDomainAndNamesUnderASuffixAreAccepted() {
    assertThat(names.validate("*.example.co.uk")).isEqualTo("*.example.co.uk");
    assertThat(names.validate("*.example.com")).isEqualTo("*.example.com");
    assertThat(names.validate("example.com")).isEqualTo("example.com");
    assertThat(names.validate("*.shop.example")).isEqualTo("*.shop.example");
  }
}
